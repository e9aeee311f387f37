import { Redis, type RedisOptions, type SentinelConnectionOptions } from 'ioredis';
import { z } from 'zod';
import { ConfigError, unsetIfEmpty } from './env.js';
import { MajorityConnector } from './sentinel-majority.js';

/** Where payflow's Redis is: one node by its URL, or a primary that Sentinels name and fail over. */
export type RedisTarget =
  | { kind: 'node'; url: string }
  | {
      kind: 'sentinel';
      sentinels: Array<{ host: string; port: number }>;
      /** The primary's name in the Sentinels' configuration (`sentinel monitor <name> …`). */
      name: string;
      password?: string;
      db?: number;
    };

/** The name a Sentinel-monitored primary has when REDIS_SENTINEL_NAME and the URL say none. */
export const DEFAULT_SENTINEL_NAME = 'payflow';

const SENTINEL_SCHEME = 'redis+sentinel://';
const HOST_PORT = /^([^:\s,/@]+):(\d{1,5})$/;

/**
 * Reads a Redis address: `redis://` or `rediss://` for one node, or
 * `redis+sentinel://[:password@]host:port,host:port[/name[/db]]` for a primary found through
 * Sentinel (the form of several clients and Spring's). Throws an Error whose message says what is
 * wrong, for a person to fix.
 */
export function parseRedisUrl(text: string): RedisTarget {
  if (!text.startsWith(SENTINEL_SCHEME)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`"${text}" is not a URL; expected redis://host:port, or redis+sentinel://host:port,host:port/name`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new Error(`"${url.protocol}" is not a Redis scheme; expected redis://, rediss:// or redis+sentinel://`);
    }
    return { kind: 'node', url: text };
  }
  const rest = text.slice(SENTINEL_SCHEME.length);
  const at = rest.lastIndexOf('@');
  const credentials = at === -1 ? '' : rest.slice(0, at);
  const [hosts = '', name, db, ...extra] = rest.slice(at + 1).split('/');
  if (extra.length > 0) throw new Error(`"${text}" has more path than /name/db`);
  const sentinels = hosts.split(',').map((entry) => sentinelAddress(entry.trim()));
  const target: RedisTarget = { kind: 'sentinel', sentinels, name: name ? decodeURIComponent(name) : DEFAULT_SENTINEL_NAME };
  const password = credentials.includes(':') ? credentials.slice(credentials.indexOf(':') + 1) : credentials;
  if (password !== '') target.password = decodeURIComponent(password);
  if (db !== undefined && db !== '') {
    if (!/^\d+$/.test(db)) throw new Error(`the database "${db}" in "${text}" is not a number`);
    target.db = Number(db);
  }
  return target;
}

function sentinelAddress(entry: string): { host: string; port: number } {
  const match = HOST_PORT.exec(entry);
  if (match === null || Number(match[2]) > 65535) throw new Error(`each Sentinel must be host:port, got "${entry}"`);
  return { host: match[1]!, port: Number(match[2]) };
}

/** The `redis+sentinel://` URL of these Sentinels and this primary name, as parseRedisUrl reads it. */
export function sentinelUrl(sentinels: ReadonlyArray<{ host: string; port: number }>, name = DEFAULT_SENTINEL_NAME): string {
  return `${SENTINEL_SCHEME}${sentinels.map(({ host, port }) => `${host}:${port}`).join(',')}/${encodeURIComponent(name)}`;
}

const redisUrlSchema = z.string().superRefine((value, context) => {
  try {
    parseRedisUrl(value);
  } catch (err) {
    context.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

/**
 * The variables that say where Redis is. REDIS_URL names one node or, as `redis+sentinel://…`, a
 * primary behind Sentinel; REDIS_SENTINELS (host:port,…) with REDIS_SENTINEL_NAME says the same
 * without a URL, as a Helm chart or a platform's settings usually give it. Read them with redisUrlOf.
 */
export const redisEnvShape = {
  REDIS_URL: z.preprocess(unsetIfEmpty, redisUrlSchema.optional()),
  REDIS_SENTINELS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((value) => value.split(',').every((entry) => HOST_PORT.test(entry.trim())), 'each Sentinel must be host:port, e.g. 10.0.0.5:26379,10.0.0.6:26379')
      .optional(),
  ),
  /** The primary's name in the Sentinels' configuration; default payflow. */
  REDIS_SENTINEL_NAME: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
};

export interface RedisAddressSettings {
  REDIS_URL?: string | undefined;
  REDIS_SENTINELS?: string | undefined;
  REDIS_SENTINEL_NAME?: string | undefined;
}

/**
 * The one Redis address the variables give, as a URL parseRedisUrl reads; undefined when none is
 * set. Throws when REDIS_URL and REDIS_SENTINELS are both set, as they could name two Redis.
 */
export function redisUrlOf(settings: RedisAddressSettings): string | undefined {
  if (settings.REDIS_SENTINELS === undefined) {
    if (settings.REDIS_SENTINEL_NAME !== undefined && settings.REDIS_URL?.startsWith(SENTINEL_SCHEME) !== true) {
      throw new Error('REDIS_SENTINEL_NAME is set without REDIS_SENTINELS: set REDIS_SENTINELS=host:port,… too, or unset it');
    }
    return settings.REDIS_URL;
  }
  if (settings.REDIS_URL !== undefined) {
    throw new Error('REDIS_URL and REDIS_SENTINELS are both set: set REDIS_URL for one node or a redis+sentinel:// URL, or REDIS_SENTINELS, not both');
  }
  const sentinels = settings.REDIS_SENTINELS.split(',').map((entry) => sentinelAddress(entry.trim()));
  return sentinelUrl(sentinels, settings.REDIS_SENTINEL_NAME);
}

/** The Redis address the variables give, as redisUrlOf reads it (undefined when none is set); a ConfigError when they contradict each other. */
export function configuredRedisUrl(settings: RedisAddressSettings): string | undefined {
  try {
    return redisUrlOf(settings);
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${(err as Error).message}`);
  }
}

/**
 * Options that make a connection through Sentinel follow a failover at once: it listens for the
 * Sentinels' +switch-master, so a primary that is frozen rather than gone (its socket still open)
 * is left as soon as a replica is promoted; and a write refused with READONLY (the old primary,
 * back as a replica, while the connection still points at it) reconnects to ask the Sentinels
 * again instead of failing every write until then.
 */
const FOLLOW_FAILOVER: RedisOptions = {
  // Connects only to the node a majority of the Sentinels name (lib/sentinel-majority.ts).
  Connector: MajorityConnector,
  failoverDetector: true,
  reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
  // Each Sentinel asked answers within this, or the next one is asked.
  sentinelCommandTimeout: 1_000,
  connectTimeout: 2_000,
};

/** The ioredis options that connect to `url`: the node's URL, or the Sentinels and the primary's name. */
export function redisConnectionOptions(url: string): { url?: string; options: RedisOptions } {
  const target = parseRedisUrl(url);
  if (target.kind === 'node') return { url: target.url, options: {} };
  return {
    options: {
      sentinels: target.sentinels,
      name: target.name,
      ...(target.password === undefined ? {} : { password: target.password, sentinelPassword: target.password }),
      ...(target.db === undefined ? {} : { db: target.db }),
      ...FOLLOW_FAILOVER,
    },
  };
}

/** The Sentinels and the primary's name a redis+sentinel:// `url` gives, with the timeouts connections use to ask them; undefined for one node. */
export function sentinelOptionsOf(url: string): SentinelConnectionOptions | undefined {
  return isSentinelUrl(url) ? redisConnectionOptions(url).options : undefined;
}

/** A connection to payflow's Redis at `url` (one node, or the primary behind Sentinel), with these options on top. */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  const connection = redisConnectionOptions(url);
  const merged = { ...connection.options, ...options };
  return connection.url === undefined ? new Redis(merged) : new Redis(connection.url, merged);
}

/** True when `url` finds its primary through Sentinel, so the primary has replicas that can confirm writes. */
export function isSentinelUrl(url: string): boolean {
  return url.startsWith(SENTINEL_SCHEME);
}

/** How long a closing connection's QUIT may wait for the commands before it; then it is cut off. */
const QUIT_WITHIN_MS = 500;

/**
 * Closes a connection for good: QUIT, so that commands already sent get their answers, then a
 * disconnect. Through Sentinel, QUIT leaves the connections to every Sentinel that listen for a
 * failover open (ioredis 5 and 6 close them only on disconnect), and they would hold the process.
 * QUIT waits at most QUIT_WITHIN_MS: on a connection that waits out an outage (no retry limit, as
 * the Socket.IO adapter's), it would be queued behind the commands waiting for Redis, for ever,
 * and the stop with it. The disconnect then stops the reconnecting; the commands still waiting are
 * left unanswered, in a process that is stopping.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([redis.quit(), new Promise((resolve) => (timer = setTimeout(resolve, QUIT_WITHIN_MS)))]);
  } catch {
    // Already closed, or Redis is away: the disconnect below is all that is left to do.
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/** The host:port a connection's socket is connected to (the node it serves from), or undefined while it has none. */
export function nodeAddressOf(redis: Redis): string | undefined {
  const { remoteAddress, remotePort } = redis.stream ?? {};
  return remoteAddress === undefined || remotePort === undefined ? undefined : `${remoteAddress}:${remotePort}`;
}
