import { Gauge, type Registry } from 'prom-client';
import { TERMINAL_STATUSES } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { withTimeout } from '../../lib/with-timeout.js';
import type { HistoryReader } from './history-reader.js';

/**
 * `payflow_payments_unfinished` and `payflow_payments_unfinished_oldest_seconds`: payments
 * accepted and not yet in a terminal status, and the age of the oldest of them (0 when none).
 * Counted from Redis at each scrape, so every replica reports the same figures (take the max).
 */
export function registerUnfinishedGauges(registry: Registry, reader: HistoryReader, logger: Logger, timeoutMs = 2_000): void {
  let read: Promise<Awaited<ReturnType<HistoryReader['unfinished']>> | null> | undefined;
  // One Redis read per scrape, shared by both gauges.
  const unfinished = () =>
    (read ??= withTimeout(reader.unfinished(), timeoutMs)
      .catch((err: unknown) => {
        // Redis being away shows in /readyz and the logs; here the last figures stay.
        logger.debug({ err }, 'unfinished payments could not be counted');
        return null;
      })
      .finally(() => setImmediate(() => (read = undefined))));
  new Gauge({
    name: 'payflow_payments_unfinished',
    help: `Payments accepted and not yet in a terminal status (${TERMINAL_STATUSES.join(', ')}), counted from Redis.`,
    registers: [registry],
    async collect() {
      const figures = await unfinished();
      if (figures !== null) this.set(figures.count);
    },
  });
  new Gauge({
    name: 'payflow_payments_unfinished_oldest_seconds',
    help: "Age of the oldest payment accepted and not yet in a terminal status, counted from its acceptance, or, for one that waited on the shopper's bank (3-D Secure), from its challenge's deadline; 0 when there is none.",
    registers: [registry],
    async collect() {
      const figures = await unfinished();
      if (figures === null) return;
      this.set(figures.oldestAcceptedAtMs === null ? 0 : Math.max(0, (Date.now() - figures.oldestAcceptedAtMs) / 1000));
    },
  });
}
