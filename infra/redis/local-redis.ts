import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import { requireTool } from '../require-tool.js';
import { waitUntil } from '../wait-until.js';
import { redisAnswers } from './redis-probe.js';
import { notUp, spawnRedisProcess } from './redis-process.js';
import { redisServerArgs } from './redis-server-args.js';

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 10_000;

export interface LocalRedisOptions {
  port: number;
  /** Redis' working dir (its append-only file). redis.log goes next to it, in its parent. */
  dir: string;
  log: Logger;
}

export interface LocalRedis {
  url: string;
  /** The redis-server process id, e.g. for reading its CPU time in /proc. */
  pid: number | undefined;
  stop: () => Promise<void>;
}

/** Runs `redis-server` on 127.0.0.1 and resolves once it answers PING. */
export async function startLocalRedis({ port, dir: rawDir, log }: LocalRedisOptions): Promise<LocalRedis> {
  requireTool('redis-server');
  const dir = resolve(rawDir);
  const logFile = join(dirname(dir), 'redis.log');
  const url = `redis://127.0.0.1:${port}`;
  await mkdir(dir, { recursive: true });

  log.info({ url, dir }, 'starting Redis');
  const redis = spawnRedisProcess('redis-server', redisServerArgs({ port, dir }), logFile);
  const result = await waitUntil({ what: `Redis at ${url}`, check: () => redisAnswers(url), timeoutMs: READY_TIMEOUT_MS, log, abandonWhen: redis.exited });
  if (result !== 'ready') {
    await redis.stop(STOP_GRACE_MS);
    throw await notUp(`Redis at ${url}`, result, READY_TIMEOUT_MS, [logFile]);
  }
  log.info({ url }, 'Redis is ready');

  return {
    url,
    pid: redis.child.pid,
    async stop() {
      log.info({ url }, 'stopping Redis');
      // SIGTERM makes redis-server flush the append-only file and exit cleanly.
      await redis.stop(STOP_GRACE_MS);
    },
  };
}
