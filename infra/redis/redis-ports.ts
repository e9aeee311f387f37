import { SENTINELS } from './local-redis-set.js';

/** Where a local Redis listens: its nodes, the first the primary at a first start, and a replicated set's Sentinels (none for one node). */
export interface LocalRedisPorts {
  nodes: number[];
  sentinels: number[];
}

/**
 * `npm start`'s Redis ports from the first node's: node N listens on `port + N-1` (6379, 6380,
 * 6381) and, with several nodes, the Sentinels on `sentinelPort` and the next ports (26379 …).
 */
export function redisPortsFor(count: number, port: number, sentinelPort: number): LocalRedisPorts {
  const run = (first: number, length: number) => Array.from({ length }, (_, index) => first + index);
  return { nodes: run(port, count), sentinels: count > 1 ? run(sentinelPort, SENTINELS) : [] };
}

/** How many ports a local Redis of `count` nodes listens on: the nodes', and a replicated set's Sentinels'. */
export function redisPortCount(count: number): number {
  return count > 1 ? count + SENTINELS : 1;
}

/** A local Redis of `count` nodes on free ports (as freePorts(redisPortCount(count)) hands them out): the nodes first, then the Sentinels. */
export function redisPortsFrom(ports: number[], count: number): LocalRedisPorts {
  return { nodes: ports.slice(0, count), sentinels: count > 1 ? ports.slice(count, count + SENTINELS) : [] };
}
