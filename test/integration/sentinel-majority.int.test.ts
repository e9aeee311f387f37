/**
 * A connection through Sentinel serves from the node a majority of the Sentinels name, never on
 * the word of the one it happens to ask first. During a failover the Sentinels learn of the
 * promotion one after another; a connection made meanwhile on the word of one that has not yet
 * served from the old primary, which, resumed, took writes as a primary until the Sentinels made
 * it a replica and then dropped them (test/chaos/redis-failover.chaos.test.ts, the SIGSTOP
 * scenario: 42 of 300 payments' last status lost). Here that Sentinel is made for good: the first
 * one in the URL is pointed at a node of its own, a primary nobody else names.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../infra/free-port.js';
import { startLocalRedis, type LocalRedis } from '../../infra/redis/local-redis.js';
import { SENTINELS, startLocalRedisSet, type LocalRedisSet } from '../../infra/redis/local-redis-set.js';
import { createLogger } from '../../lib/logger.js';
import { closeRedis, connectRedis, nodeAddressOf, sentinelOptionsOf } from '../../lib/redis-connection.js';
import { sentinelsVouchFor } from '../../lib/sentinel-majority.js';

const log = createLogger('test-sentinel-majority', 'warn');

let stateDir: string;
let set: LocalRedisSet;
let stray: LocalRedis;
let primaryPort: number;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'payflow-sentinel-majority-'));
  const ports = await freePorts(2 + SENTINELS + 1);
  set = await startLocalRedisSet({ nodePorts: ports.slice(0, 2), sentinelPorts: ports.slice(2, 2 + SENTINELS), home: join(stateDir, 'set'), log });
  primaryPort = (await set.primary()).port;
  stray = await startLocalRedis({ port: ports[2 + SENTINELS]!, dir: join(stateDir, 'stray'), log });
  // The first Sentinel now names the stray node under the set's name; the other two, the set's primary.
  const first = new Redis(set.sentinels[0]!.port, '127.0.0.1');
  try {
    await first.call('SENTINEL', 'REMOVE', set.name);
    await first.call('SENTINEL', 'MONITOR', set.name, '127.0.0.1', String(new URL(stray.url).port), '2');
  } finally {
    first.disconnect();
  }
}, 60_000);
afterAll(async () => {
  await set?.stop();
  await stray?.stop();
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
});

describe('a connection through Sentinel', () => {
  it('serves from the primary a majority of the Sentinels name, though the first one asked names another node', async () => {
    const redis = connectRedis(set.url, { maxRetriesPerRequest: 5 });
    redis.on('error', () => undefined);
    try {
      await redis.set('payflow:test:majority', 'written');
      expect(nodeAddressOf(redis)).toBe(`127.0.0.1:${primaryPort}`);
      const onPrimary = new Redis(primaryPort, '127.0.0.1');
      const onStray = new Redis(stray.url);
      try {
        expect({ primary: await onPrimary.get('payflow:test:majority'), stray: await onStray.get('payflow:test:majority') }).toEqual({
          primary: 'written',
          stray: null,
        });
      } finally {
        onPrimary.disconnect();
        onStray.disconnect();
      }
    } finally {
      await closeRedis(redis);
    }
  });

  it('the Sentinels vouch for the primary two of them name and see well, not for the node the third names', async () => {
    const options = sentinelOptionsOf(set.url)!;
    expect({
      primary: await sentinelsVouchFor(`127.0.0.1:${primaryPort}`, options),
      stray: await sentinelsVouchFor(`127.0.0.1:${new URL(stray.url).port}`, options),
    }).toEqual({ primary: true, stray: false });
  });
});
