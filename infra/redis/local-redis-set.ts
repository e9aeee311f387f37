import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_SENTINEL_NAME, sentinelUrl } from '../../lib/redis-connection.js';
import type { Logger } from '../../lib/logger.js';
import { InfraError } from '../infra-error.js';
import { requireTool } from '../require-tool.js';
import { waitUntil } from '../wait-until.js';
import { redisAnswers, replicationOf } from './redis-probe.js';
import { notUp } from './redis-process.js';
import { redisServerArgs } from './redis-server-args.js';
import { lastNamedPrimaryPort, sentinelConfig } from './sentinel-config.js';
import { sentinelView, type SentinelView } from './sentinel-probe.js';
import { SetProcess } from './set-process.js';

/** Three Sentinels, two of which must agree: one can be lost and a failover still happens. */
export const SENTINELS = 3;
const READY_TIMEOUT_MS = 30_000;

/** How soon the Sentinels give up on a primary that does not answer, and how long a failover may take. */
export interface SentinelTiming {
  /** How long the primary may not answer before a Sentinel thinks it down, ms (Sentinel's down-after-milliseconds). */
  downAfterMs: number;
  /** Sentinel's failover-timeout, ms: a failover that stalls is given up, and tried again after twice this. */
  failoverTimeoutMs: number;
}

/**
 * `npm start`'s timing: a primary silent for 5 s is failed over. Shorter lets a loaded laptop's
 * pause look like a crash; Sentinel's own default (30 s) would leave every POST answering 503 for
 * half a minute.
 */
export const DEFAULT_SENTINEL_TIMING: SentinelTiming = { downAfterMs: 5_000, failoverTimeoutMs: 10_000 };

export interface LocalRedisSetOptions {
  /** The data nodes' ports, two or more; the first is the primary of a set started for the first time. */
  nodePorts: number[];
  /** The Sentinels' ports (SENTINELS of them). */
  sentinelPorts: number[];
  /** `<home>/node-N/` holds node N's data dir and redis.log; `<home>/sentinel-N/` Sentinel N's sentinel.conf and sentinel.log. */
  home: string;
  /** The primary's name in the Sentinels; default payflow. */
  name?: string;
  /** Default DEFAULT_SENTINEL_TIMING. */
  timing?: Partial<SentinelTiming>;
  log: Logger;
}

/** One process of the set: a data node or a Sentinel. */
export interface RedisSetMember {
  /** `node-1` … for the data nodes, `sentinel-1` … for the Sentinels. */
  name: string;
  kind: 'node' | 'sentinel';
  port: number;
  /** `redis://127.0.0.1:<port>`: this one process, not whichever is primary. */
  url: string;
  /** Its process id while it runs, e.g. for reading its CPU time in /proc. */
  readonly pid: number | undefined;
}

export interface LocalRedisSet {
  /** The `redis+sentinel://` URL payflow connects with: the Sentinels, and the primary's name. */
  url: string;
  /** The primary's name in the Sentinels. */
  name: string;
  nodes: RedisSetMember[];
  sentinels: RedisSetMember[];
  timing: SentinelTiming;
  /** The data node the Sentinels name as primary now (the first Sentinel that answers). */
  primary: () => Promise<RedisSetMember>;
  /** SIGKILL, as a crash would; resolves once it has exited. It stays down until restart. */
  kill: (member: RedisSetMember) => Promise<void>;
  /** SIGSTOP freezes it (its sockets stay open, it answers nothing), SIGCONT resumes it. */
  signal: (member: RedisSetMember, signal: 'SIGSTOP' | 'SIGCONT') => void;
  /**
   * Starts a killed member again on its data. A node comes back as a replica of the node the
   * Sentinels name as primary now (as the primary, when they still name it); resolves once its
   * link to the primary is up and every running Sentinel sees it. A Sentinel comes back with the
   * configuration it rewrote; resolves once it names a primary. No-op for a member that runs.
   */
  restart: (member: RedisSetMember) => Promise<void>;
  /**
   * Resolves with the new primary once every running Sentinel names a node other than `from` and
   * that node serves as primary. Rejects when that takes longer than `timeoutMs` (default: the
   * down-after window, two failover timeouts and 10 s).
   */
  waitForFailover: (from: RedisSetMember, timeoutMs?: number) => Promise<RedisSetMember>;
  /** SIGTERM to every process, the Sentinels first (so they fail nothing over meanwhile); resolves once all have exited. */
  stop: () => Promise<void>;
}

/**
 * A replicated Redis on this machine, as production runs it: a primary, replicas and three
 * Sentinels from Debian's `redis-server` and `redis-sentinel`, each on its own port on 127.0.0.1
 * with its own dir. Resolves once the replicas are in sync with the primary and every Sentinel
 * has found the primary, every replica and the other Sentinels: before that, a failover could
 * find no replica to promote or no majority to agree on it. Data survives restarts; a set started
 * again starts from the primary its Sentinels named last.
 */
export async function startLocalRedisSet(options: LocalRedisSetOptions): Promise<LocalRedisSet> {
  const { nodePorts, sentinelPorts, name = DEFAULT_SENTINEL_NAME, log } = options;
  if (nodePorts.length < 2) throw new InfraError('a replicated Redis needs at least two nodes: a primary and a replica');
  if (sentinelPorts.length !== SENTINELS) throw new InfraError(`a replicated Redis runs ${SENTINELS} Sentinels, got ${sentinelPorts.length} ports`);
  requireTool('redis-server');
  requireTool('redis-sentinel');
  const timing = { ...DEFAULT_SENTINEL_TIMING, ...options.timing };
  const home = resolve(options.home);
  const url = sentinelUrl(
    sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
    name,
  );
  const nodes = nodePorts.map((port, index) => new SetProcess('node', port, index, home));
  const sentinels = sentinelPorts.map((port, index) => new SetProcess('sentinel', port, index, home));
  const dataDirOf = (node: SetProcess) => join(node.dir, 'data');
  const configOf = (sentinel: SetProcess) => join(sentinel.dir, 'sentinel.conf');
  const startNode = (node: SetProcess, replicaOf: number | undefined, append = false) =>
    node.start(redisServerArgs({ port: node.port, dir: dataDirOf(node), replicaOf }), { append });
  const startSentinel = (sentinel: SetProcess, append = false) => sentinel.start([configOf(sentinel)], { append });
  const processOf = (member: RedisSetMember): SetProcess => {
    const found = [...nodes, ...sentinels].find((entry) => entry.name === member.name);
    if (found === undefined) throw new InfraError(`${member.name} is not a member of the Redis set at ${url}`);
    return found;
  };
  const nodeAt = (port: number): SetProcess => {
    const found = nodes.find((node) => node.port === port);
    if (found === undefined) throw new InfraError(`the Sentinels of ${url} name 127.0.0.1:${port} as primary, which is none of the set's nodes`);
    return found;
  };
  const stopAll = async () => {
    await Promise.all(sentinels.map((sentinel) => sentinel.halt('stop')));
    await Promise.all(nodes.map((node) => node.halt('stop')));
  };
  /** Waits for `check`; throws with the end of the logs of `concerned` when it does not come, or one of them exits. */
  const settle = async (what: string, check: () => Promise<boolean>, concerned: SetProcess[], timeoutMs = READY_TIMEOUT_MS): Promise<void> => {
    const exits = concerned.flatMap((entry) => entry.exited ?? []);
    const result = await waitUntil({ what, check, timeoutMs, log, abandonWhen: Promise.race(exits) });
    if (result !== 'ready') {
      throw await notUp(
        what,
        result,
        timeoutMs,
        concerned.map((entry) => entry.logFile),
      );
    }
  };
  const view = (sentinel: SetProcess) => sentinelView(sentinel.port, name);
  const runningSentinels = () => sentinels.filter((sentinel) => sentinel.running);

  await Promise.all([
    ...nodes.map((node) => mkdir(dataDirOf(node), { recursive: true })),
    ...sentinels.map((sentinel) => mkdir(sentinel.dir, { recursive: true })),
  ]);
  const first = nodes[await lastPrimaryIndex(sentinels.map(configOf), name, nodePorts)]!;
  const replicas = nodes.filter((node) => node !== first);
  log.info({ url, home, primary: first.name }, `starting the Redis set on ${nodePorts.join(', ')} (Sentinels on ${sentinelPorts.join(', ')})`);
  const started = Date.now();
  try {
    startNode(first, undefined);
    for (const replica of replicas) startNode(replica, first.port);
    await settle(
      `the Redis nodes on ${nodePorts.join(', ')}`,
      async () => {
        const states = await Promise.all(replicas.map((replica) => replicationOf(replica.url)));
        return (await redisAnswers(first.url)) && states.every((state) => state?.role === 'slave' && state.linkUp);
      },
      nodes,
    );
    // Written afresh each start: a Sentinel's rewritten file may name other ports, or Sentinels gone.
    const quorum = Math.floor(sentinels.length / 2) + 1;
    await Promise.all(
      sentinels.map((sentinel) =>
        writeFile(configOf(sentinel), sentinelConfig({ port: sentinel.port, dir: sentinel.dir, name, primaryPort: first.port, quorum, ...timing })),
      ),
    );
    for (const sentinel of sentinels) startSentinel(sentinel);
    await settle(
      `the Sentinels on ${sentinelPorts.join(', ')}`,
      async () => {
        const views = await Promise.all(sentinels.map(view));
        return views.every(
          (seen) =>
            seen?.primaryPort === first.port && seen.otherSentinels === sentinels.length - 1 && replicas.every((replica) => seesReplica(seen, replica.port)),
        );
      },
      sentinels,
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  log.info({ url, ms: Date.now() - started }, 'the Redis set is ready');

  const primary = async (): Promise<RedisSetMember> => {
    for (const sentinel of runningSentinels()) {
      const seen = await view(sentinel);
      if (seen !== undefined) return nodeAt(seen.primaryPort);
    }
    throw new InfraError(`no Sentinel of ${url} answers`);
  };

  const restartNode = async (node: SetProcess) => {
    const primaryPort = (await primary()).port;
    const replicaOf = primaryPort === node.port ? undefined : primaryPort;
    startNode(node, replicaOf, true);
    await settle(
      `${node.name} on ${node.port}, ${replicaOf === undefined ? 'as the primary' : `as a replica of 127.0.0.1:${replicaOf}`}`,
      async () => {
        if (replicaOf === undefined) return redisAnswers(node.url);
        const state = await replicationOf(node.url);
        if (state?.role !== 'slave' || state.primaryPort !== replicaOf || !state.linkUp) return false;
        const views = await Promise.all(runningSentinels().map(view));
        return views.every((seen) => seesReplica(seen, node.port));
      },
      [node],
    );
    log.info({ member: node.name, port: node.port, replicaOf }, 'the Redis node is back');
  };

  return {
    url,
    name,
    nodes,
    sentinels,
    timing,
    primary,
    kill: async (member) => {
      log.info({ member: member.name, port: member.port }, 'killing a member of the Redis set (SIGKILL)');
      await processOf(member).halt('kill');
    },
    signal: (member, signal) => processOf(member).signal(signal),
    restart: async (member) => {
      const entry = processOf(member);
      if (entry.started) return;
      log.info({ member: member.name, port: member.port }, 'starting a member of the Redis set again');
      if (entry.kind === 'node') return restartNode(entry);
      startSentinel(entry, true);
      await settle(`${entry.name} on ${entry.port}`, async () => (await view(entry)) !== undefined, [entry]);
    },
    waitForFailover: async (from, timeoutMs = timing.downAfterMs + 2 * timing.failoverTimeoutMs + 10_000) => {
      let promoted: SetProcess | undefined;
      await settle(
        `a new primary in place of ${from.name}`,
        async () => {
          const port = await agreedPrimaryPort(runningSentinels(), name);
          if (port === undefined || port === from.port) return false;
          if ((await replicationOf(nodeAt(port).url))?.role !== 'master') return false;
          promoted = nodeAt(port);
          return true;
        },
        sentinels,
        timeoutMs,
      );
      log.info({ from: from.name, to: promoted!.name }, 'the Sentinels have promoted a new primary');
      return promoted!;
    },
    stop: async () => {
      log.info({ url }, 'stopping the Redis set');
      await stopAll();
    },
  };
}

/** True when the Sentinel's view lists the node on `port` as a replica that serves. */
function seesReplica(seen: SentinelView | undefined, port: number): boolean {
  return seen?.replicas.some((replica) => replica.port === port && replica.up) === true;
}

/** The port every one of `sentinels` names as primary now; undefined while they do not all answer and agree. */
async function agreedPrimaryPort(sentinels: SetProcess[], name: string): Promise<number | undefined> {
  const views = await Promise.all(sentinels.map((sentinel) => sentinelView(sentinel.port, name)));
  const ports = new Set(views.map((seen) => seen?.primaryPort));
  const [port] = ports;
  return ports.size === 1 ? port : undefined;
}

/** The node the Sentinels named primary when the set last ran; the first node for a set started for the first time, or on other ports than before. */
async function lastPrimaryIndex(configFiles: string[], name: string, nodePorts: number[]): Promise<number> {
  const texts = await Promise.all(configFiles.map((file) => readFile(file, 'utf8').catch(() => '')));
  return Math.max(0, nodePorts.indexOf(lastNamedPrimaryPort(texts, name) ?? -1));
}
