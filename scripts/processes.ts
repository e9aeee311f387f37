/**
 * The payflow processes as data: what `npm start` runs, in start order, and what tests reuse to
 * run the same system. Downstream stand-ins come first, so each process finds what it calls
 * already up (START_TIER); the BFF replicas come last in the list, and with the load balancer
 * after every one of them is ready, the URL printed at the end works at once.
 */
import { BILLING_GATES_WEBHOOK_PATH } from '../contracts/charge-webhook.js';

/** What a process does; several instances of a role share its consumer group. */
export type ProcessRole = 'bff' | 'billing-gates' | 'udi' | 'saas-app' | 'billing-worker' | 'order-worker';

export interface ProcessSpec {
  /** Short name, the prefix of its log lines: the role, or `role-N` when a role runs several instances. */
  name: string;
  role: ProcessRole;
  /** Entry file, relative to the repo root, run with `node --import { BILLING_GATES_WEBHOOK_PATH } from '../server/webhooks/webhook-path.js';
import tsx`. */
  entry: string;
  /** The HTTP port it serves (its PORT). */
  port: number;
  /** Answers 200 once the process can do its job. */
  readyPath: '/healthz' | '/readyz';
  /** Variables only this process gets, on top of sharedEnv(). */
  env: Record<string, string>;
  /** Options for its `node`, before the entry file; default none. */
  nodeArgs?: readonly string[];
}

/** One port per process; the roles that scale get one per instance. */
export interface Ports {
  /** What the browser opens: the BFF itself, or the load balancer when there are BFF replicas. */
  bff: number;
  /** The BFF replicas behind the load balancer on `bff`; empty: a single BFF on `bff`, no load balancer. */
  bffReplicas: number[];
  billingGates: number;
  udi: number;
  saasApp: number;
  billingWorkers: number[];
  orderWorkers: number[];
}

/** The first port of each role, from which `portsFor` lays out the instances (defaults: scripts/start-config.ts). */
export interface BasePorts {
  bff: number;
  billingGates: number;
  udi: number;
  saasApp: number;
  billingWorker: number;
  orderWorker: number;
}

export interface Scale {
  bffReplicas: number;
  billingWorkers: number;
  orderWorkers: number;
}

export const ONE_OF_EACH: Scale = { bffReplicas: 1, billingWorkers: 1, orderWorkers: 1 };

/**
 * When each role starts: the stand-ins first, so that whatever calls them finds them up, then the
 * workers and the BFF replicas together, which call nothing of each other's. The processes of a
 * tier start side by side (one after another, a system of 9 processes took 24 s to start, most of
 * it each process loading its modules while the other core idled).
 */
export const START_TIER: Record<ProcessRole, number> = { 'billing-gates': 0, udi: 0, 'saas-app': 0, 'billing-worker': 1, 'order-worker': 1, bff: 1 };

/**
 * When each role stops, after the load balancer: the BFF replicas first, so no new payment comes
 * in, then the workers, which finish and commit what they hold, then the stand-ins they called.
 * Side by side within a tier: a worker's leave from its group takes about a second.
 */
export const STOP_TIER: Record<ProcessRole, number> = { bff: 0, 'billing-worker': 1, 'order-worker': 1, 'billing-gates': 2, udi: 2, 'saas-app': 2 };

/** Worker instance i (from 0) serves /metrics on its base port + WORKER_PORT_STEP·i: 9101, 9111, 9121 … */
export const WORKER_PORT_STEP = 10;

/**
 * `npm start`'s port scheme. One BFF listens on the base port itself; N replicas listen on the
 * base port + 1 … + N (3001 … 300N) behind the load balancer on the base port (3000).
 */
export function portsFor(base: BasePorts, scale: Scale): Ports {
  const instances = (first: number, count: number, step: number) => Array.from({ length: count }, (_, i) => first + step * i);
  return {
    bff: base.bff,
    bffReplicas: scale.bffReplicas > 1 ? instances(base.bff + 1, scale.bffReplicas, 1) : [],
    billingGates: base.billingGates,
    udi: base.udi,
    saasApp: base.saasApp,
    billingWorkers: instances(base.billingWorker, scale.billingWorkers, WORKER_PORT_STEP),
    orderWorkers: instances(base.orderWorker, scale.orderWorkers, WORKER_PORT_STEP),
  };
}

/**
 * How long a stopping replica answers /readyz 503 before it stops listening: two of the load
 * balancer's health checks (one a second, down after 2 failures) and a margin.
 */
export const REPLICA_DRAIN_MS = 2_500;

const local = (port: number) => `http://127.0.0.1:${port}`;

/**
 * The BFF's young generation stays at 2 × 16 MB. On a host with memory to spare V8 lets it grow
 * to 2 × 64 MB under a burst of arrivals, and keeps it: with 2,000 shoppers waiting through a
 * Billing Gates outage that was half of the BFF's growth (`npm run bench -- --scenario waiting`).
 *
 * Its old generation is capped at 320 MB: the pod's 512 MiB (deploy/k8s/base/bff.yaml) less the
 * young generation and the 100 MB or so outside the heap. V8 lets the old generation grow by a
 * factor it takes from that cap: up to 4 × what survived the last full collection when the cap is
 * 2 GB or more (4 GB on a host with 16 GB or more), about 1.3 × under 400 MB. Waiting payments keep
 * the BFF busy (a PaymentDelayed notice every 15 s each, projected, stored, pushed), and what that
 * work keeps for a few seconds reaches the old generation; with the host's cap it piled up there
 * for a minute between full collections, over half of the BFF's growth with 2,000 shoppers waiting.
 * deploy/k8s/base/bff.yaml and docker-compose.yml pass the same options.
 */
export const BFF_NODE_ARGS = ['--max-semi-space-size=16', '--max-old-space-size=320'] as const;

export function payflowProcesses(ports: Ports): ProcessSpec[] {
  /** One spec per port; named by role alone when there is only one. */
  const instances = (role: ProcessRole, entry: string, list: number[], readyPath: ProcessSpec['readyPath'], env: Record<string, string>) =>
    list.map((port, i): ProcessSpec => ({ name: list.length === 1 ? role : `${role}-${i + 1}`, role, entry, port, readyPath, env }));
  const bffPorts = ports.bffReplicas.length > 0 ? ports.bffReplicas : [ports.bff];
  const bffEnv = { SAAS_APP_URL: local(ports.saasApp), ...(ports.bffReplicas.length > 0 ? { SHUTDOWN_DRAIN_MS: String(REPLICA_DRAIN_MS) } : {}) };
  return [
    // Billing Gates tells the BFF (through the load balancer, when there is one) when a charge that required action settles.
    {
      name: 'billing-gates',
      role: 'billing-gates',
      entry: 'stand-ins/billing-gates/main.ts',
      port: ports.billingGates,
      readyPath: '/healthz',
      env: { WEBHOOK_URL: `${local(ports.bff)}${BILLING_GATES_WEBHOOK_PATH}` },
    },
    { name: 'udi', role: 'udi', entry: 'stand-ins/udi/main.ts', port: ports.udi, readyPath: '/healthz', env: {} },
    { name: 'saas-app', role: 'saas-app', entry: 'stand-ins/saas-app/main.ts', port: ports.saasApp, readyPath: '/healthz', env: { UDI_URL: local(ports.udi) } },
    ...instances('billing-worker', 'workers/billing/main.ts', ports.billingWorkers, '/healthz', {
      BILLING_GATES_URL: local(ports.billingGates),
      UDI_URL: local(ports.udi),
    }),
    ...instances('order-worker', 'workers/order/main.ts', ports.orderWorkers, '/healthz', { UDI_URL: local(ports.udi) }),
    // /readyz, not /healthz: the page only works once the BFF reaches Kafka and Redis.
    ...instances('bff', 'server/main.ts', bffPorts, '/readyz', bffEnv).map((spec) => ({ ...spec, nodeArgs: BFF_NODE_ARGS })),
  ];
}

export interface SharedSettings {
  kafkaBrokers: string[];
  redisUrl: string;
  topicPrefix: string;
  topicPartitions: number;
  logLevel: string;
}

/**
 * The variables every process gets. Redis' address goes as REDIS_URL alone (a redis+sentinel://
 * URL for Sentinels): REDIS_SENTINELS or REDIS_SENTINEL_NAME inherited beside it would be refused
 * as naming a second Redis, so they are emptied, which reads as unset.
 */
export function sharedEnv({ kafkaBrokers, redisUrl, topicPrefix, topicPartitions, logLevel }: SharedSettings): Record<string, string> {
  return {
    KAFKA_BROKERS: kafkaBrokers.join(','),
    REDIS_URL: redisUrl,
    REDIS_SENTINELS: '',
    REDIS_SENTINEL_NAME: '',
    KAFKA_TOPIC_PREFIX: topicPrefix,
    TOPIC_PARTITIONS: String(topicPartitions),
    LOG_LEVEL: logLevel,
  };
}

/** The whole environment of one process: ours, then the shared settings, then its own. */
export function processEnv(spec: ProcessSpec, shared: Record<string, string>, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...shared, ...spec.env, PORT: String(spec.port) };
}
