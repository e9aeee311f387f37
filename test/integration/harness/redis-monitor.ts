import { connectRedis } from '../../../lib/redis-connection.js';

/** A command a client sent to Redis, as MONITOR reports it. */
export interface SentCommand {
  /** The command's name in upper case, then its arguments. */
  name: string;
  args: string[];
  /** Whether it was sent inside a MULTI … EXEC block, whose commands travel in one round trip. */
  inTransaction: boolean;
}

export interface RedisMonitor {
  /** The commands clients sent so far; what scripts run inside Redis is left out. */
  readonly sent: readonly SentCommand[];
  stop(): void;
}

/**
 * Records every command clients send to Redis (MONITOR). Round trips per payment do not drift with
 * load the way CPU figures do, so a test can hold a path to its count. Behind Sentinel it monitors
 * the primary the Sentinels name, which every client's commands reach (replicas see only the
 * replication stream).
 */
export async function monitorRedis(redisUrl: string): Promise<RedisMonitor> {
  // monitor() opens a connection of its own with these options; this one never connects.
  const monitor = await connectRedis(redisUrl, { lazyConnect: true }).monitor();
  const sent: SentCommand[] = [];
  const inMulti = new Set<string>();
  monitor.on('monitor', (_time: string, [command = '', ...args]: string[], source: string) => {
    if (source === 'lua') return;
    const name = command.toUpperCase();
    if (name === 'MULTI') inMulti.add(source);
    sent.push({ name, args, inTransaction: inMulti.has(source) });
    if (name === 'EXEC' || name === 'DISCARD') inMulti.delete(source);
  });
  return { sent, stop: () => monitor.disconnect() };
}
