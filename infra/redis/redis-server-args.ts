export interface RedisNodeSettings {
  port: number;
  /** Its working dir: the append-only file, and the RDB a replica receives when it syncs. */
  dir: string;
  /** The primary's port on 127.0.0.1, for a replica; unset: a primary. */
  replicaOf?: number | undefined;
}

/**
 * The `redis-server` arguments of a local node, alone or in a replicated set. Every node keeps
 * what it is given: the BFF keeps payments' idempotency keys and status snapshots in Redis, and ops
 * restart it expecting them to survive. The append-only file keeps every write (fsync once a
 * second, so a crash loses at most about a second of writes and a clean stop none); RDB snapshots
 * would add only a fork per save on a small machine, so they are off. noeviction is Redis' default,
 * named anyway: a full Redis must refuse writes rather than drop a payment's keys, and the BFF's
 * start-time check (lib/redis-durability.ts) reads it.
 */
export function redisServerArgs({ port, dir, replicaOf }: RedisNodeSettings): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    // A replica that starts or returns syncs at once: Redis' default waits 5 s for others to share
    // one transfer, which on one machine only keeps the replica behind (and a set's start 5 s longer).
    '--repl-diskless-sync-delay',
    '0',
    ...(replicaOf === undefined ? [] : ['--replicaof', '127.0.0.1', String(replicaOf)]),
  ];
}
