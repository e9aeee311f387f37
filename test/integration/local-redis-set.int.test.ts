/**
 * The replicated Redis `REDIS_NODES=3 npm start` and the harnesses run: a primary, two replicas and
 * three Sentinels, on free ports of its own, with a down-after window of 1.5 s so a failover takes
 * seconds (at 1 s, one run here saw the Sentinels fail the new primary over too, a moment later).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../infra/free-port.js';
import { startLocalRedis } from '../../infra/redis/local-redis.js';
import { replicationOf } from '../../infra/redis/redis-probe.js';
import { SENTINELS, startLocalRedisSet, type LocalRedisSet } from '../../infra/redis/local-redis-set.js';
import { createLogger } from '../../lib/logger.js';
import { closeRedis, connectRedis } from '../../lib/redis-connection.js';
import { checkRedisDurability } from '../../lib/redis-durability.js';
import { until } from '../support/until.js';

const NODES = 3;
const log = createLogger('test-redis-set', 'warn');

let stateDir: string;
let ports: number[];
let set: LocalRedisSet;
const startSet = () =>
  startLocalRedisSet({
    nodePorts: ports.slice(0, NODES),
    sentinelPorts: ports.slice(NODES),
    home: stateDir,
    timing: { downAfterMs: 1_500, failoverTimeoutMs: 4_000 },
    log,
  });
const clients: Redis[] = [];
/** A connection to one node or, with the set's URL, to whichever node the Sentinels name primary. */
const connect = (url: string) => {
  const client = connectRedis(url, { maxRetriesPerRequest: 20 });
  client.on('error', () => {}); // a killed node refuses connections; the commands say what matters
  clients.push(client);
  return client;
};

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'payflow-redis-set-'));
  ports = await freePorts(NODES + SENTINELS);
  set = await startSet();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await set?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('a local replicated Redis: a primary, two replicas and three Sentinels', () => {
  it('hands out a redis+sentinel:// URL, and a write on the primary reaches both replicas', async () => {
    expect(set.url).toBe(`redis+sentinel://${set.sentinels.map(({ port }) => `127.0.0.1:${port}`).join(',')}/payflow`);
    const primary = await set.primary();
    expect(primary.name).toBe('node-1');
    const key = `set-test:${randomUUID()}`;
    const client = connect(set.url);
    await client.set(key, 'replicated');
    // WAIT: the number of replicas that acknowledged the write.
    expect(await client.wait(NODES - 1, 5_000)).toBe(NODES - 1);
    for (const replica of set.nodes.filter((node) => node.name !== primary.name)) {
      expect(await connect(replica.url).get(key)).toBe('replicated');
    }
  });

  it('every node keeps its writes: an append-only file synced every second, no RDB save points, and no eviction', async () => {
    for (const node of set.nodes) {
      const redis = connect(node.url);
      const settings = Object.fromEntries(
        await Promise.all(['appendonly', 'appendfsync', 'save', 'maxmemory-policy'].map(async (name) => [name, (await redis.config('GET', name))[1]] as const)),
      );
      expect(settings, node.name).toEqual({ appendonly: 'yes', appendfsync: 'everysec', save: '', 'maxmemory-policy': 'noeviction' });
    }
  });

  it("the BFF's start-time check reads the primary through the Sentinels: it passes the set, and refuses it once the primary evicts", async () => {
    await checkRedisDurability(set.url, 'enforce', log);
    const primary = connect((await set.primary()).url);
    await primary.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      await expect(checkRedisDurability(set.url, 'enforce', log)).rejects.toThrow(/^Redis may lose payments' keys: maxmemory-policy is allkeys-lru/);
    } finally {
      await primary.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it('a connection through the Sentinels closed with closeRedis leaves no socket open', async () => {
    const sentinelPorts = new Set(set.sentinels.map(({ port }) => port));
    /** This process' connections to the Sentinels, by their local address. */
    const toSentinels = () =>
      connectionsOf(process.pid)
        .filter(({ peerPort }) => sentinelPorts.has(peerPort))
        .map(({ local }) => local);
    const others = new Set(toSentinels());
    const client = connectRedis(set.url);
    await client.set(`set-test:${randomUUID()}`, '1');
    const opened = () => toSentinels().filter((local) => !others.has(local));
    // ioredis listens for failovers on a connection to each Sentinel.
    await until(() => opened().length === SENTINELS, 5_000);
    const own = new Set(opened());
    await closeRedis(client);
    await until(() => toSentinels().every((local) => !own.has(local)), 5_000);
  });

  it('closeRedis ends a connection that waits out an outage (no retry limit, a command queued) within a second and a half, instead of queueing its QUIT too', async () => {
    const [port] = (await freePorts(1)) as [number];
    const alone = await startLocalRedis({ port, dir: join(stateDir, 'alone', 'data'), log });
    const client = connectRedis(alone.url, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    await client.set('alone', '1');
    await alone.stop();
    void client.get('alone').catch(() => undefined);
    const started = performance.now();
    await closeRedis(client);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('when the primary is SIGKILLed a replica is promoted, a client through Sentinel writes again, and the old primary returns as a replica', async () => {
    const client = connect(set.url);
    const before = `set-test:${randomUUID()}`;
    await client.set(before, 'before the crash');
    expect(await client.wait(NODES - 1, 5_000)).toBe(NODES - 1);

    const old = await set.primary();
    const killedAt = Date.now();
    await set.kill(old);
    expect(old.pid).toBeUndefined();
    const promoted = await set.waitForFailover(old);
    const failoverMs = Date.now() - killedAt;
    expect(promoted.name).not.toBe(old.name);
    expect((await set.primary()).name).toBe(promoted.name);

    // The same client, its connection lost with the old primary, asks the Sentinels again.
    const after = `set-test:${randomUUID()}`;
    await until(async () => (await client.set(after, 'after the failover').catch(() => null)) === 'OK', 15_000);
    expect(await client.get(before)).toBe('before the crash');
    expect(await connect(promoted.url).get(after)).toBe('after the failover');
    log.warn({ failoverMs }, 'failover after SIGKILL of the primary');

    await set.restart(old);
    expect(old.pid).toBeDefined();
    expect(await replicationOf(old.url)).toEqual({ role: 'slave', primaryPort: promoted.port, linkUp: true });
    expect(await connect(old.url).get(after)).toBe('after the failover');
    expect((await set.primary()).name).toBe(promoted.name);
  });

  it('a primary frozen (SIGSTOP) past the down-after window is failed over, and once resumed it becomes a replica of the new one', async () => {
    const frozen = await set.primary();
    set.signal(frozen, 'SIGSTOP');
    const promoted = await set.waitForFailover(frozen).finally(() => set.signal(frozen, 'SIGCONT'));
    // The Sentinels tell the resumed node, which still thinks itself primary, to follow the new one.
    await until(async () => {
      const state = await replicationOf(frozen.url);
      return state?.role === 'slave' && state.primaryPort === promoted.port && state.linkUp;
    }, 30_000);
    const client = connect(set.url);
    const key = `set-test:${randomUUID()}`;
    await until(async () => (await client.set(key, 'after the freeze').catch(() => null)) === 'OK', 15_000);
    expect(await client.wait(NODES - 1, 5_000)).toBe(NODES - 1);
    expect(await connect(frozen.url).get(key)).toBe('after the freeze');
  });

  it('stopped and started again, the set starts from the primary its Sentinels named last, with its data', async () => {
    const primary = await set.primary();
    const key = `set-test:${randomUUID()}`;
    await connect(primary.url).set(key, 'before the stop');
    for (const client of clients.splice(0)) client.disconnect();
    await set.stop();
    expect([...set.nodes, ...set.sentinels].map((member) => member.pid)).toEqual(Array(NODES + SENTINELS).fill(undefined));

    set = await startSet();
    expect((await set.primary()).name).toBe(primary.name);
    expect(await connect(set.url).get(key)).toBe('before the stop');
  });
});

/** The TCP connections `pid` has open, as `ss` lists them: each one's local address and its peer's port. */
function connectionsOf(pid: number): Array<{ local: string; peerPort: number }> {
  const lines = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' }).split('\n');
  return lines
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => {
      const [, , local = '', peer = ''] = line.trim().split(/\s+/);
      return { local, peerPort: Number(peer.split(':').pop()) };
    });
}
