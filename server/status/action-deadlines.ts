import type { Redis } from 'ioredis';
import { newEvent, type PaymentEvent } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import type { HistoryKeys } from '../history/history-keys.js';
import type { PaymentStore } from '../payments/payment-store.js';

/** How many due payments one sweep takes at most; the next sweep takes the rest. */
const SWEEP_BATCH = 100;

/**
 * KEYS: unfinished, the payment's history `seen` set; ARGV: deadline (ms), paymentId. Counts the
 * payment's age, in the unfinished set, from its challenge's deadline rather than its acceptance
 * (GT: never earlier), unless its terminal status is recorded already (history's `#finished`).
 * The history's own acceptance write is NX, so whichever lands first, the deadline stays.
 */
const FROM_THE_DEADLINE = `
if redis.call('SISMEMBER', KEYS[2], '#finished') == 1 then return 0 end
return redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[2])
`;

/**
 * The payments that wait on the shopper's bank (requires_action), by their challenge's deadline:
 * a Redis sorted set, scored by `expiresAt` in ms. The status consumer adds a payment when it
 * projects PaymentRequiresAction and removes it when the payment moves on; the sweep takes what is due.
 *
 * A shopper taking their time is not a payment stuck: while it waits, and after, the payment's
 * age among the unfinished (`payflow_payments_unfinished_oldest_seconds`, which
 * PayflowPaymentsUnfinished pages on past the step budgets) is counted from its deadline.
 */
export class ActionDeadlines {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly history: HistoryKeys,
  ) {
    this.key = `${keyPrefix}payflow:awaiting-action`;
  }

  /** The payment waits on the shopper's bank until `expiresAt` (ISO 8601). */
  async awaiting(paymentId: string, expiresAt: string): Promise<void> {
    const deadline = Date.parse(expiresAt);
    await Promise.all([
      this.redis.zadd(this.key, deadline, paymentId),
      this.redis.eval(FROM_THE_DEADLINE, 2, this.history.unfinished, this.history.seen(paymentId), deadline, paymentId),
    ]);
  }

  /** The payment no longer waits on the bank. */
  async settled(paymentId: string): Promise<void> {
    await this.redis.zrem(this.key, paymentId);
  }

  /** Up to `limit` payments whose deadline is at or before `nowMs`, earliest first, with their deadlines (ISO 8601). */
  async due(nowMs: number, limit = SWEEP_BATCH): Promise<Array<{ paymentId: string; expiresAt: string }>> {
    const flat = await this.redis.zrangebyscore(this.key, '-inf', nowMs, 'WITHSCORES', 'LIMIT', 0, limit);
    const due: Array<{ paymentId: string; expiresAt: string }> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) due.push({ paymentId: flat[i]!, expiresAt: new Date(Number(flat[i + 1])).toISOString() });
    return due;
  }

  /** Takes a due payment for this replica to end: true for the one replica whose removal found it. */
  async claim(paymentId: string): Promise<boolean> {
    return (await this.redis.zrem(this.key, paymentId)) === 1;
  }
}

export interface ActionSweepDeps {
  deadlines: ActionDeadlines;
  payments: Pick<PaymentStore, 'snapshot'>;
  /** Publishes the event to Kafka (the BFF's EventPublisher); rejects when Kafka did not acknowledge it. */
  publish: (event: PaymentEvent) => Promise<void>;
  /** Writes the published event into the payment's history. */
  recorded: (event: PaymentEvent) => Promise<void>;
  logger: Logger;
  /** How often the sweep runs, ms (ACTION_SWEEP_EVERY_MS). */
  everyMs: number;
  /** The wall clock, ms since the epoch: deadlines are wall-clock times. */
  now?: () => number;
}

/**
 * Ends the waits nobody else ends: every `everyMs`, each payment past its challenge's deadline and
 * still in requires_action gets a ChargeActionExpired, which the billing worker turns into the
 * charge's outcome (voiding it if still pending). Billing Gates gives a challenge up before the
 * deadline and says so with its webhook; this is for the webhook that never comes. Every BFF
 * replica sweeps; the removal from the set decides which one publishes, and a publish that fails
 * puts the payment back for the next sweep.
 */
export function startActionSweep(deps: ActionSweepDeps): { stop: () => Promise<void> } {
  const now = deps.now ?? Date.now;
  let sweeping: Promise<void> | undefined;
  let stopped = false;
  const end = async (paymentId: string, expiresAt: string, logger: Logger) => {
    const snapshot = await deps.payments.snapshot(paymentId);
    if (snapshot?.status !== 'requires_action') {
      // Moved on while its removal was lost (it is made after the status is stored): nothing to end.
      await deps.deadlines.settled(paymentId);
      return;
    }
    if (!(await deps.deadlines.claim(paymentId))) return;
    const event = newEvent({ type: 'ChargeActionExpired', paymentId, correlationId: `deadline-${paymentId}`, data: { expiresAt } });
    try {
      await deps.publish(event);
    } catch (err) {
      await deps.deadlines.awaiting(paymentId, expiresAt);
      logger.warn({ err, expiresAt }, 'challenge past its deadline, but ChargeActionExpired not published; the next sweep tries again');
      return;
    }
    logger.info({ expiresAt, eventId: event.eventId }, 'challenge past its deadline with nothing settled; ChargeActionExpired published');
    await deps.recorded(event);
  };
  const sweep = async () => {
    for (const { paymentId, expiresAt } of await deps.deadlines.due(now())) {
      const logger = deps.logger.child({ paymentId });
      // One payment that cannot be ended now (its snapshot unreadable, Redis failing) holds up no other.
      await end(paymentId, expiresAt, logger).catch((err: unknown) =>
        logger.warn({ err, expiresAt }, 'challenge past its deadline not ended; the next sweep tries again'),
      );
    }
  };
  const timer = setInterval(() => {
    if (stopped || sweeping !== undefined) return;
    sweeping = sweep()
      .catch((err: unknown) => deps.logger.warn({ err }, 'the challenge deadline sweep failed; it runs again'))
      .finally(() => (sweeping = undefined));
  }, deps.everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await sweeping;
    },
  };
}
