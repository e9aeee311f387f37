import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { BILLING_GATES_WEBHOOK_PATH } from '../../../contracts/index.js';
import { startBff } from '../../../server/bff.js';
import { control } from './shopper.js';
import { loadConfig as loadBffConfig, type BffConfig } from '../../../server/config.js';
import { createBillingGatesApp } from '../../../stand-ins/billing-gates/app.js';
import { createSaasApp } from '../../../stand-ins/saas-app/app.js';
import { startServer } from '../../../stand-ins/common/testing.js';
import { createUdiApp } from '../../../stand-ins/udi/app.js';
import { billingWorker, billingWorkerOptions } from '../../../workers/billing/billing-worker.js';
import { loadConfig as loadBillingConfig } from '../../../workers/billing/config.js';
import { startWorker } from '../../../workers/common/start-worker.js';
import { loadConfig as loadOrderConfig } from '../../../workers/order/config.js';
import { orderWorker, orderWorkerOptions } from '../../../workers/order/order-worker.js';
import { createLogger } from '../../../lib/logger.js';
import { tokenCipherFor } from '../../../lib/token-cipher.js';

export interface SystemOptions {
  /** Latency of every stand-in call; default 20 ms, so tests spend their time in the pipeline. */
  standInLatencyMs?: number;
  kafkaBrokers?: string[];
  redisUrl?: string;
  /** Receives every log line of every process, at debug level. */
  logLines?: string[];
  /** Socket.IO handshakes allowed per client per minute; default: no practical limit. */
  handshakesPerMinute?: number;
  /** POST /api/payments allowed per client per minute; default: no practical limit. */
  rateLimitPerMinute?: number;
  /** How long Udi may keep failing before an order is refunded; default 2 min. */
  orderDeadlineMs?: number;
  /** How long Billing Gates may keep failing before the charge is given up, its key voided (CHARGE_DEADLINE_MS); default 5 min. */
  chargeDeadlineMs?: number;
  /** How long Billing Gates may keep failing a refund before it is reported as failed (REFUND_DEADLINE_MS); default 10 min. */
  refundDeadlineMs?: number;
  /** How long a charge may wait on the shopper's bank challenge (ACTION_DEADLINE_MS); default 15 min. */
  actionDeadlineMs?: number;
  /** The billing worker's timeout of each Billing Gates call (DOWNSTREAM_TIMEOUT_MS); default 5 s. */
  billingDownstreamTimeoutMs?: number;
  /** The order worker's timeout of each Udi call (DOWNSTREAM_TIMEOUT_MS); default 5 s. */
  orderDownstreamTimeoutMs?: number;
  /** How long a step may keep failing before both workers publish PaymentDelayed (DELAY_NOTICE_AFTER_MS); default 15 s. */
  delayNoticeAfterMs?: number;
  /** How far the billing worker's wall clock is off, in ms, positive ahead (CLOCK_OFFSET_MS); default 0. */
  billingClockOffsetMs?: number;
  /** Settings of every BFF replica, the first one included (addBffReplica's overrides come on top). */
  bff?: Partial<BffConfig>;
}

export interface BffReplica {
  url: string;
  /** Stops it as SIGTERM would (drain, close sockets, leave the group); once, however often called. */
  stop: () => Promise<void>;
}

export interface System {
  bffUrl: string;
  billingGatesUrl: string;
  udiUrl: string;
  saasUrl: string;
  /** The billing worker running now: it changes with restartBillingWorker. */
  readonly billingWorkerUrl: string;
  orderWorkerUrl: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  /** Starts one more BFF replica sharing the same Kafka topics, Redis and consumer group. */
  addBffReplica(overrides?: Partial<BffConfig>): Promise<BffReplica>;
  /**
   * Stops the billing worker as SIGTERM would (finish or leave its records, commit, leave the
   * group), then starts a new one in the same group, its clock off by `clockOffsetMs` (default: as
   * the system was started).
   */
  restartBillingWorker(options?: { clockOffsetMs?: number }): Promise<void>;
  stop: () => Promise<void>;
}

const PARTITIONS = 3;

/**
 * The whole system in this test process: stand-ins, both workers and the BFF on free ports,
 * against the real Kafka and Redis of the global setup. Its own topic prefix keeps its events
 * apart from every other test file's.
 */
export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const kafkaBrokers = (options.kafkaBrokers ?? inject('kafkaBrokers')).join(',');
  const redisUrl = options.redisUrl ?? inject('redisUrl');
  const topicPrefix = `test-${randomUUID().slice(0, 8)}.`;
  const lines = options.logLines;
  const logger =
    lines === undefined
      ? createLogger('test', process.env['TEST_LOG_LEVEL'] ?? 'silent')
      : createLogger('test', 'debug', { write: (line: string) => void lines.push(line) });
  const latency = { latencyMs: options.standInLatencyMs ?? 20 };
  const stops: Stops = { standIns: [], workers: [], bffs: [] };

  try {
    const billingGates = await startServer(createBillingGatesApp({ logger, control: latency }));
    stops.standIns.push(billingGates.close);
    const udi = await startServer(createUdiApp({ logger, ssoTokenTtlMs: 60_000, control: latency }));
    stops.standIns.push(udi.close);
    const saas = await startServer(createSaasApp({ logger, udiUrl: udi.url }));
    stops.standIns.push(saas.close);

    const common = { KAFKA_BROKERS: kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix, TOPIC_PARTITIONS: String(PARTITIONS), PORT: '0' };
    const workerCommon = { ...common, ...envOf({ DELAY_NOTICE_AFTER_MS: options.delayNoticeAfterMs }) };
    const billingLogger = logger.child({ role: 'billing-worker' });
    const startBilling = async (clockOffsetMs: number | undefined) => {
      const billingConfig = loadBillingConfig({
        ...workerCommon,
        BILLING_GATES_URL: billingGates.url,
        UDI_URL: udi.url,
        ...envOf({
          CHARGE_DEADLINE_MS: options.chargeDeadlineMs,
          REFUND_DEADLINE_MS: options.refundDeadlineMs,
          ACTION_DEADLINE_MS: options.actionDeadlineMs,
          DOWNSTREAM_TIMEOUT_MS: options.billingDownstreamTimeoutMs,
          CLOCK_OFFSET_MS: clockOffsetMs,
        }),
      });
      const worker = await startWorker(billingWorker(billingGates.url, billingWorkerOptions(billingConfig, billingLogger)), billingConfig, billingLogger);
      stops.workers.push(worker.stop);
      return worker;
    };
    let billing = await startBilling(options.billingClockOffsetMs);
    const orderConfig = loadOrderConfig({
      ...workerCommon,
      UDI_URL: udi.url,
      ...envOf({ ORDER_DEADLINE_MS: options.orderDeadlineMs, DOWNSTREAM_TIMEOUT_MS: options.orderDownstreamTimeoutMs }),
    });
    const cipher = tokenCipherFor(undefined, 'test').cipher;
    const orderLogger = logger.child({ role: 'order-worker' });
    const order = await startWorker(orderWorker(udi.url, orderWorkerOptions(orderConfig, cipher, orderLogger)), orderConfig, orderLogger);
    stops.workers.push(order.stop);

    const bffConfig = loadBffConfig({
      ...common,
      REDIS_URL: redisUrl,
      SAAS_APP_URL: saas.url,
      PAYMENT_RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 100_000),
      SOCKET_HANDSHAKES_PER_MINUTE: String(options.handshakesPerMinute ?? 100_000),
    });
    const addBffReplica = async (overrides: Partial<BffConfig> = {}): Promise<BffReplica> => {
      const bff = await startBff({ ...bffConfig, ...options.bff, ...overrides }, logger.child({ role: 'bff' }));
      let stopped: Promise<void> | undefined;
      const stop = () => (stopped ??= bff.stop()); // once, whether the test or the teardown asks first
      stops.bffs.push(stop);
      return { url: `http://127.0.0.1:${bff.port}`, stop };
    };
    const { url: bffUrl } = await addBffReplica();
    // Billing Gates starts first, so it learns where the BFF takes its webhooks once the BFF is up.
    await control(billingGates.url, { webhookUrl: `${bffUrl}${BILLING_GATES_WEBHOOK_PATH}` });

    return {
      bffUrl,
      billingGatesUrl: billingGates.url,
      udiUrl: udi.url,
      saasUrl: saas.url,
      get billingWorkerUrl() {
        return `http://127.0.0.1:${billing.port}`;
      },
      orderWorkerUrl: `http://127.0.0.1:${order.port}`,
      kafkaBrokers: kafkaBrokers.split(','),
      topicPrefix,
      addBffReplica,
      async restartBillingWorker({ clockOffsetMs = options.billingClockOffsetMs } = {}) {
        stops.workers.splice(stops.workers.indexOf(billing.stop), 1);
        await billing.stop();
        billing = await startBilling(clockOffsetMs);
      },
      stop: () => stopAll(stops),
    };
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
}

/** The options that are set, as environment variables for a worker's config. */
function envOf(values: Record<string, number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
}

/** What to stop, by tier: the BFF replicas first, then the workers, then the stand-ins. */
interface Stops {
  standIns: Array<() => Promise<void>>;
  workers: Array<() => Promise<void>>;
  bffs: Array<() => Promise<void>>;
}

/** Stops tier by tier, the members of a tier side by side (each consumer's leave takes about 1 s); once. */
async function stopAll(stops: Stops): Promise<void> {
  for (const tier of [stops.bffs, stops.workers, stops.standIns]) await Promise.all(tier.splice(0).map((stop) => stop()));
}
