import { join } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import { InfraError } from '../infra-error.js';
import { startLocalRedis } from './local-redis.js';
import { startLocalRedisSet, type LocalRedisSet, type SentinelTiming } from './local-redis-set.js';
import type { LocalRedisPorts } from './redis-ports.js';

export interface LocalRedisForOptions {
  /** One node's data dir is `<home>/data`, a set's nodes and Sentinels are in `<home>/node-N/` and `<home>/sentinel-N/`. */
  home: string;
  /** A replicated set's Sentinel timing; default DEFAULT_SENTINEL_TIMING. */
  timing?: Partial<SentinelTiming> | undefined;
  log: Logger;
}

/** A local Redis of one node or a replicated set, as one shape for the harnesses that run either. */
export interface RunningLocalRedis {
  /** `redis://` for one node, `redis+sentinel://` for a set. */
  url: string;
  /** The replicated set's handle (kill, freeze, restart a node, wait for a failover); undefined for one node. */
  set: LocalRedisSet | undefined;
  /** Its processes now, for reading their CPU time: `redis`, or a set's `redis-1` … and `sentinel-1` …. */
  processes: () => Array<{ name: string; pid: number | undefined }>;
  stop: () => Promise<void>;
}

/** Starts one Redis, or a replicated set when `ports` has several nodes. */
export async function startLocalRedisFor(ports: LocalRedisPorts, { home, timing, log }: LocalRedisForOptions): Promise<RunningLocalRedis> {
  const [port] = ports.nodes;
  if (port === undefined) throw new InfraError('no Redis node to start: REDIS_NODES must be at least 1');
  if (ports.nodes.length === 1) {
    const redis = await startLocalRedis({ port, dir: join(home, 'data'), log });
    return { url: redis.url, set: undefined, processes: () => [{ name: 'redis', pid: redis.pid }], stop: redis.stop };
  }
  const set = await startLocalRedisSet({ nodePorts: ports.nodes, sentinelPorts: ports.sentinels, home, timing, log });
  return {
    url: set.url,
    set,
    processes: () => [
      ...set.nodes.map(({ name, pid }) => ({ name: name.replace(/^node/, 'redis'), pid })),
      ...set.sentinels.map(({ name, pid }) => ({ name, pid })),
    ],
    stop: set.stop,
  };
}
