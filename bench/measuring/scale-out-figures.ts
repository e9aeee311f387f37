/**
 * The scale-out scenario's figures, from one run's readings: CPU per payment of each part of the
 * system by what it is to the replicas, how the shoppers' statuses reached them, and how the load
 * balancer spread the work. Pure: bench/scenarios/scale-out.ts takes the readings.
 */
import type { ShopperResult } from '../drivers/shopper.js';
import type { CpuPerPayment } from './process-cpu.js';

/**
 * ms of CPU per signed-in payment. null: a process of that part has no figure (it restarted or
 * exited during the run), or no payment was signed in.
 */
export interface ScaleOutCpu {
  /** Each BFF replica's own (`bff` alone with one replica, `bff-1` … behind the load balancer). */
  replicas: { name: string; msPerPayment: number | null }[];
  /** The replicas summed: what the BFF costs per payment, all replicas together. */
  bff: number | null;
  /** The sum shared out over the replicas: what each one costs. */
  bffPerReplica: number | null;
  /** HAProxy; absent with one BFF, which runs without it. */
  loadBalancer?: number | null;
  /** The status store and the Socket.IO adapter's stream, which every replica reads: the fan-out. With REDIS_NODES > 1, every node and Sentinel. */
  redis: number | null;
  kafka: number | null;
  /** The billing and order workers together. */
  workers: number | null;
  /** All of the above: BFF replicas, load balancer, workers, Kafka, Redis. */
  pipeline: number | null;
}

const isBff = (name: string) => /^bff(-\d+)?$/.test(name);
const isKafka = (name: string) => /^kafka(-\d+)?$/.test(name);
const isRedis = (name: string) => /^(redis|sentinel)(-\d+)?$/.test(name);
const isWorker = (name: string) => /^(billing|order)-worker(-\d+)?$/.test(name);
const round2 = (value: number) => Math.round(value * 100) / 100;

export function scaleOutCpu(cpu: CpuPerPayment): ScaleOutCpu {
  /** The processes matching, summed per payment; undefined when there is none. */
  const part = (matches: (name: string) => boolean): number | null | undefined => {
    const members = cpu.processes.filter((p) => matches(p.name));
    if (members.length === 0) return undefined;
    if (cpu.signedIn === 0 || members.some((p) => p.cpuMs === null)) return null;
    return round2(members.reduce((sum, p) => sum + (p.cpuMs ?? 0), 0) / cpu.signedIn);
  };
  const replicas = cpu.processes.filter((p) => isBff(p.name)).map(({ name, msPerPayment }) => ({ name, msPerPayment }));
  const bff = part(isBff) ?? null;
  const loadBalancer = part((name) => name === 'load-balancer');
  return {
    replicas,
    bff,
    bffPerReplica: bff === null ? null : round2(bff / replicas.length),
    ...(loadBalancer === undefined ? {} : { loadBalancer }),
    redis: part(isRedis) ?? null,
    kafka: part(isKafka) ?? null,
    workers: part(isWorker) ?? null,
    pipeline: cpu.totals.pipeline,
  };
}

/**
 * How the final statuses reached the shoppers whose payment was accepted (answered 202). A status
 * already final in the snapshot sent on joining owed the socket no push (it came after the
 * change), so it is counted apart, as a socket that came late; a push lost on the way would have
 * left its shopper waiting, to reconnect or time out: those are the pushes that did not arrive.
 */
export interface PushDelivery {
  accepted: number;
  /** Pushed to the socket as the status changed: through the Redis adapter from whichever replica projected it. */
  pushed: number;
  /** Already final in the snapshot sent as the socket joined, on its first connection: the socket came after the outcome. */
  onJoin: number;
  /** Only once the socket had connected again: late, by the fallback of a new connection. */
  afterReconnect: number;
  /** Never: the shopper timed out, or its socket was refused or failed, without a final status. */
  never: number;
  /** Pushes that did not arrive: afterReconnect + never. */
  notArrived: number;
}

export function pushDelivery(results: readonly ShopperResult[]): PushDelivery {
  const accepted = results.filter((r) => r.paymentId !== undefined);
  const count = (via: ShopperResult['statusVia']) => accepted.filter((r) => r.statusVia === via).length;
  const [pushed, onJoin, afterReconnect, never] = [count('push'), count('join'), count('reconnect'), count(undefined)];
  return { accepted: accepted.length, pushed, onJoin, afterReconnect, never, notArrived: afterReconnect + never };
}

/** What one BFF replica did during the run, from its /metrics. */
export interface ReplicaShare {
  name: string;
  /** Payments it answered 202. */
  accepted: number;
  /** Sockets that joined on it (each got the snapshot on joining). */
  sockets: number;
  /** Status changes it projected from Kafka and pushed to the payments' rooms, wherever their sockets were. */
  changes: number;
}

/** The counters a ReplicaShare is the difference of. */
export type ReplicaCounters = Omit<ReplicaShare, 'name'>;

/** The sum of a metric's samples in a /metrics text, over the label sets holding every label in `labels`. */
export function metricTotal(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  return text.split('\n').reduce((sum, line) => {
    const match = /^(\w+)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (match?.[1] !== name) return sum;
    const labelSet = match[2]?.split(',') ?? [];
    return wanted.every((pair) => labelSet.includes(pair)) ? sum + Number(match[3]) : sum;
  }, 0);
}

export function replicaCounters(metricsText: string): ReplicaCounters {
  return {
    accepted: metricTotal(metricsText, 'payflow_payments_accepted_total'),
    sockets: metricTotal(metricsText, 'payflow_socket_pushes_total', { kind: 'join' }),
    changes: metricTotal(metricsText, 'payflow_socket_pushes_total', { kind: 'change' }),
  };
}

/** Each replica's counters between two readings; a replica missing from either has no share. */
export function spreadBetween(before: ReadonlyMap<string, ReplicaCounters>, after: ReadonlyMap<string, ReplicaCounters>): ReplicaShare[] {
  return [...after].flatMap(([name, end]) => {
    const start = before.get(name);
    return start === undefined
      ? []
      : [{ name, accepted: end.accepted - start.accepted, sockets: end.sockets - start.sockets, changes: end.changes - start.changes }];
  });
}

/**
 * What each replica added costs: the pipeline's CPU per payment over the run with the fewest
 * replicas, per replica added (ms per payment); null for that run itself, or without figures.
 */
export function extraPerReplica(runs: readonly { replicas: number; cpu: Pick<ScaleOutCpu, 'pipeline'> }[]): (number | null)[] {
  const fewest = runs.reduce<(typeof runs)[number] | undefined>((min, run) => (min === undefined || run.replicas < min.replicas ? run : min), undefined);
  return runs.map(({ replicas, cpu }) => {
    if (fewest === undefined || replicas === fewest.replicas || cpu.pipeline === null || fewest.cpu.pipeline === null) return null;
    return round2((cpu.pipeline - fewest.cpu.pipeline) / (replicas - fewest.replicas));
  });
}
