/**
 * Redis commands per signed-in payment, from two readings of the bench's Redis
 * (`INFO stats commandstats`), at the start and at the end of a run.
 *
 * What Redis 7 counts (measured against redis-server 7.0.15): `commandstats` counts a command run
 * inside a Lua script under its own name as well as the EVALSHA that ran it (an EVAL of three
 * `redis.call`s adds eval 1, set 1, get 1, incr 1), and a MULTI … EXEC counts multi, each queued
 * command once, and exec. `total_commands_processed` counts the script's calls too, so nothing in
 * INFO tells the commands a client sent from those its scripts ran. What does tell how often a
 * client reached Redis is `total_reads_processed`: one read of a client's socket takes whatever
 * that client had written since, so a script, a MULTI … EXEC or an auto-pipelined batch is one
 * read, and ten commands awaited one after the other are ten.
 */
import { connectRedis } from '../../lib/redis-connection.js';

/** Counters of a Redis since it started. */
export interface RedisCounts {
  /** Calls by command (`cmdstat_<name>`; a subcommand as `client|setname`). */
  calls: Record<string, number>;
  /** Reads of client sockets that brought commands (`total_reads_processed`). */
  reads: number;
  /** Writes of replies to client sockets (`total_writes_processed`). */
  writes: number;
}

/** Per signed-in payment, over one run. */
export interface RedisCommandsPerPayment {
  /** Calls by command, most frequent first; commands run inside scripts included, under their own names. */
  byCommand: Record<string, number>;
  total: number;
  /** Scripts run (EVAL, EVALSHA, FCALL and their read-only forms), each counted in `total` too, as are the commands it ran. */
  scripts: number;
  /** Reads of client sockets: how often a client reached Redis with a batch of commands, about its round trips. */
  reads: number;
  writes: number;
}

const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);
/**
 * The bench's own share of each window: the INFO of the end reading (its read and its write are
 * counted in its own answer, its call is not), and the INFO of the start reading (its call is
 * counted only by the end one). INFO is left out by name: payflow sends it only when it connects.
 */
const OWN = { command: 'info', reads: 1, writes: 1 };

const CALLS = /^cmdstat_(\S+?):calls=(\d+)/;
const STAT = /^(total_reads_processed|total_writes_processed):(\d+)/;

/** The counters in an `INFO stats commandstats` answer; null when it has neither section. */
export function parseRedisInfo(info: string): RedisCounts | null {
  const calls: Record<string, number> = {};
  const stats = new Map<string, number>();
  for (const line of info.split(/\r?\n/)) {
    const call = CALLS.exec(line);
    if (call !== null) calls[call[1]!] = Number(call[2]);
    const stat = STAT.exec(line);
    if (stat !== null) stats.set(stat[1]!, Number(stat[2]));
  }
  const reads = stats.get('total_reads_processed');
  const writes = stats.get('total_writes_processed');
  return reads === undefined || writes === undefined ? null : { calls, reads, writes };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** What the clients of Redis did between two readings, per payment signed in; null without both readings or payments. */
export function redisCommandsPerPayment(start: RedisCounts | null, end: RedisCounts | null, payments: number): RedisCommandsPerPayment | null {
  if (start === null || end === null || payments === 0) return null;
  const made = Object.entries(end.calls)
    .map(([command, calls]) => [command, calls - (start.calls[command] ?? 0)] as const)
    .filter(([command, calls]) => command !== OWN.command && calls > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const sum = (entries: readonly (readonly [string, number])[]) => entries.reduce((total, [, calls]) => total + calls, 0);
  return {
    byCommand: Object.fromEntries(made.map(([command, calls]) => [command, round2(calls / payments)])),
    total: round2(sum(made) / payments),
    scripts: round2(sum(made.filter(([command]) => SCRIPT_COMMANDS.has(command))) / payments),
    reads: round2(Math.max(0, end.reads - start.reads - OWN.reads) / payments),
    writes: round2(Math.max(0, end.writes - start.writes - OWN.writes) / payments),
  };
}

export interface RedisCounter {
  /** The counters now; null when Redis does not answer within 5 s. */
  read: () => Promise<RedisCounts | null>;
  close: () => void;
}

/**
 * One connection for every reading, without the ready check: what the bench itself sends between
 * two readings is then exactly the one INFO that OWN takes out. Behind Sentinel it reads the
 * primary, which every client's commands reach; its counts then include what the replicas
 * (REPLCONF ACK, once a second each) and the Sentinels (PING, INFO, PUBLISH hello) send it.
 */
export function redisCounter(url: string): RedisCounter {
  const redis = connectRedis(url, { enableReadyCheck: false, maxRetriesPerRequest: 1, commandTimeout: 5_000, lazyConnect: true });
  // A Redis gone away gives no figure for the run (read answers null), not a crashed bench.
  redis.on('error', () => {});
  return {
    read: async () => {
      try {
        return parseRedisInfo(await redis.info('stats', 'commandstats'));
      } catch {
        return null;
      }
    },
    close: () => redis.disconnect(),
  };
}
