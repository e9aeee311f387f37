import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePorts } from '../../infra/free-port.js';
import { startLocalRedis, type LocalRedis } from '../../infra/redis/local-redis.js';
import { createLogger } from '../../lib/logger.js';
import { checkRedisDurability } from '../../lib/redis-durability.js';
import { REPO_ROOT } from '../../scripts/start-config.js';

const execFileAsync = promisify(execFile);

/**
 * A Redis of this file's own, started as `npm start` and the tests start theirs, whose settings
 * the tests change: the shared one's must not move under other tests.
 */
let local: LocalRedis;
let client: Redis;
let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'payflow-redis-durability-'));
  const [port] = (await freePorts(1)) as [number];
  local = await startLocalRedis({ port, dir: join(stateDir, 'data'), log: createLogger('test-redis', 'warn') });
  client = new Redis(local.url);
});
afterAll(async () => {
  await client?.quit();
  await local?.stop();
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
});

/** A logger that keeps its warnings. */
function recordingLogger(): { logger: ReturnType<typeof createLogger>; warnings: string[] } {
  const warnings: string[] = [];
  const logger = createLogger('test', 'warn', { write: (line: string) => void warnings.push(JSON.parse(line).msg as string) });
  return { logger, warnings };
}

describe("the BFF's check at start that Redis keeps payments' keys", () => {
  it('passes the Redis that npm start and the tests run (noeviction, AOF), even when enforcing', async () => {
    const { logger, warnings } = recordingLogger();
    await checkRedisDurability(local.url, 'enforce', logger);
    expect(warnings).toEqual([]);
  });

  it('warns of an evicting Redis outside production, and lets the BFF start', async () => {
    await client.config('SET', 'maxmemory-policy', 'volatile-lru');
    try {
      const { logger, warnings } = recordingLogger();
      await checkRedisDurability(local.url, 'warn', logger);
      expect(warnings).toEqual([expect.stringMatching(/^Redis may lose payments' keys: maxmemory-policy is volatile-lru/)]);
    } finally {
      await client.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it.each([
    {
      what: 'evicts',
      settings: { 'maxmemory-policy': 'volatile-lru' },
      line: /^bff: Redis may lose payments' keys: maxmemory-policy is volatile-lru, so Redis drops keys when its memory is full \(set maxmemory-policy noeviction\)\. Not starting: REDIS_DURABILITY_CHECK=enforce/,
    },
    {
      what: 'keeps nothing across a restart',
      settings: { appendonly: 'no', save: '' },
      line: /^bff: Redis may lose payments' keys: appendonly is no and there are no RDB save points, so a restart loses every key \(set appendonly yes\)\. Not starting: REDIS_DURABILITY_CHECK=enforce/,
    },
  ])('with NODE_ENV=production, a BFF on a Redis that $what refuses to start, in one line naming the setting', async ({ settings, line }) => {
    const before = await Promise.all(Object.keys(settings).map(async (name) => [name, (await client.config('GET', name))[1]!] as const));
    for (const [name, value] of Object.entries(settings)) await client.config('SET', name, value);
    let failure: { code: number; stderr: string } | undefined;
    try {
      await execFileAsync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, NODE_ENV: 'production', REDIS_URL: local.url, KAFKA_BROKERS: inject('kafkaBrokers').join(','), PORT: '0', LOG_LEVEL: 'silent' },
        timeout: 60_000,
      });
    } catch (err) {
      failure = err as { code: number; stderr: string };
    } finally {
      for (const [name, value] of before) await client.config('SET', name, value);
    }
    expect(failure, 'the BFF ran').toBeDefined();
    expect(failure!.code).toBe(1);
    const lines = failure!.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });
});
