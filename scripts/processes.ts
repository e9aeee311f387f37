/**
 * The payflow processes as data: what `npm start` runs, in start order, and what tests reuse to
 * run the same system. Downstream stand-ins come first, so each process finds what it calls
 * already up; the BFF comes last, so the URL printed at the end works at once.
 */

export interface ProcessSpec {
  /** Short name, the prefix of its log lines. */
  name: string;
  /** Entry file, relative to the repo root, run with `node --import tsx`. */
  entry: string;
  /** The HTTP port it serves (its PORT). */
  port: number;
  /** Answers 200 once the process can do its job. */
  readyPath: '/healthz' | '/readyz';
  /** Variables only this process gets, on top of sharedEnv(). */
  env: Record<string, string>;
}

export interface Ports {
  bff: number;
  billingGates: number;
  udi: number;
  saasApp: number;
  billingWorker: number;
  orderWorker: number;
}

/** The default ports of the public contract; scripts/start-config.ts lets env override each. */
export const DEFAULT_PORTS: Ports = {
  bff: 3000,
  billingGates: 4001,
  udi: 4002,
  saasApp: 4003,
  billingWorker: 9101,
  orderWorker: 9102,
};

const local = (port: number) => `http://127.0.0.1:${port}`;

export function payflowProcesses(ports: Ports = DEFAULT_PORTS): ProcessSpec[] {
  return [
    { name: 'billing-gates', entry: 'stand-ins/billing-gates/main.ts', port: ports.billingGates, readyPath: '/healthz', env: {} },
    { name: 'udi', entry: 'stand-ins/udi/main.ts', port: ports.udi, readyPath: '/healthz', env: {} },
    {
      name: 'saas-app',
      entry: 'stand-ins/saas-app/main.ts',
      port: ports.saasApp,
      readyPath: '/healthz',
      env: { UDI_URL: local(ports.udi) },
    },
    {
      name: 'billing-worker',
      entry: 'workers/billing/main.ts',
      port: ports.billingWorker,
      readyPath: '/healthz',
      env: { BILLING_GATES_URL: local(ports.billingGates) },
    },
    {
      name: 'order-worker',
      entry: 'workers/order/main.ts',
      port: ports.orderWorker,
      readyPath: '/healthz',
      env: { UDI_URL: local(ports.udi) },
    },
    // /readyz, not /healthz: the page only works once the BFF reaches Kafka and Redis.
    { name: 'bff', entry: 'server/main.ts', port: ports.bff, readyPath: '/readyz', env: { SAAS_APP_URL: local(ports.saasApp) } },
  ];
}

export interface SharedSettings {
  kafkaBrokers: string[];
  redisUrl: string;
  topicPrefix: string;
  topicPartitions: number;
  logLevel: string;
}

/** The variables every process gets. */
export function sharedEnv({ kafkaBrokers, redisUrl, topicPrefix, topicPartitions, logLevel }: SharedSettings): Record<string, string> {
  return {
    KAFKA_BROKERS: kafkaBrokers.join(','),
    REDIS_URL: redisUrl,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    TOPIC_PARTITIONS: String(topicPartitions),
    LOG_LEVEL: logLevel,
  };
}

/** The whole environment of one process: ours, then the shared settings, then its own. */
export function processEnv(spec: ProcessSpec, shared: Record<string, string>, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...shared, ...spec.env, PORT: String(spec.port) };
}
