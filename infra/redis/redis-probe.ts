import { Redis } from 'ioredis';
import { isPortOpen } from '../port-open.js';

/** How long a node or a Sentinel has to answer one question; a frozen one (SIGSTOP) never does. */
const ANSWER_WITHIN_MS = 1_000;

/**
 * Asks the Redis or the Sentinel at `url` one question over a connection of its own: one attempt,
 * no reconnects, every command bounded. Undefined when it does not answer, or answers with an
 * error (a node still loading its append-only file says LOADING).
 */
export async function askRedis<T>(url: string, question: (redis: Redis) => Promise<T>): Promise<T | undefined> {
  const { hostname, port } = new URL(url);
  if (!(await isPortOpen(hostname, Number(port || 6379)))) return undefined;
  const redis = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: ANSWER_WITHIN_MS,
    commandTimeout: ANSWER_WITHIN_MS,
    // Its INFO would wait out a node's loading with no bound; the question itself says "not yet".
    enableReadyCheck: false,
  });
  redis.on('error', () => {}); // "not yet" is expected here; ioredis would print it as unhandled
  try {
    await redis.connect();
    return await question(redis);
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/** True when a Redis server at `url` answers PING. */
export async function redisAnswers(url: string): Promise<boolean> {
  return (await askRedis(url, (redis) => redis.ping())) === 'PONG';
}

/** A node's part in replication, as its INFO replication says. */
export interface ReplicationState {
  role: 'master' | 'slave';
  /** A replica's primary, by port. */
  primaryPort?: number;
  /** A replica's link to its primary is up (master_link_status:up). */
  linkUp: boolean;
}

/** The state in an INFO replication answer; undefined when it names no role. */
export function parseReplication(info: string): ReplicationState | undefined {
  const fields = new Map(
    info.split(/\r?\n/).flatMap((line) => (line.includes(':') ? [[line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as const] : [])),
  );
  const role = fields.get('role');
  if (role !== 'master' && role !== 'slave') return undefined;
  const primaryPort = fields.get('master_port');
  return { role, ...(primaryPort === undefined ? {} : { primaryPort: Number(primaryPort) }), linkUp: fields.get('master_link_status') === 'up' };
}

/** The replication state of the node at `url`; undefined when it does not answer. */
export async function replicationOf(url: string): Promise<ReplicationState | undefined> {
  return askRedis(url, async (redis) => parseReplication(await redis.info('replication')));
}
