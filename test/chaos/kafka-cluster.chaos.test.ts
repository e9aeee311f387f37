import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { sleep } from '../../lib/sleep.js';
import { startChaosSystem, type ChaosSystem } from './chaos-system.js';
import { runScenario } from './scenario.js';

/**
 * The cluster production runs: three Kafka nodes, every topic at three replicas with two in sync,
 * so a 202 means PaymentInitiated is on two brokers. Each scenario breaks one node while 300
 * payments arrive at 100/s: every payment answered 202 must be confirmed exactly once, and every
 * 503 must have been retried with its Idempotency-Key to a 202.
 */
let system: ChaosSystem;
const PAYMENTS = 300;
// payments.initiated is created with every partition on nodes [1, 2, 3] in that order: node 1
// leads them all while it is up, node 2 takes over when it is not, node 3 only ever follows.
const LEADER = 1;
const FOLLOWER = 3;
const log = createLogger('kafka-cluster-chaos', 'silent');

beforeAll(async () => {
  system = await startChaosSystem({ suite: 'kafka-cluster', kafkaNodes: 3, paymentsInitiatedReplicas: [LEADER, 2, FOLLOWER] });
});
afterAll(async () => {
  await system?.stop();
});

const node = (id: number) => system.kafka.nodes[id - 1]!;

/** Leaders and in-sync replicas of payments.initiated's partitions, asked of the nodes other than `avoid` (a paused one never answers). */
async function paymentsInitiatedReplicas(avoid?: number): Promise<{ leaders: Set<number>; isr: Set<number> }> {
  const brokers = system.kafka.nodes.filter(({ id }) => id !== avoid).map(({ broker }) => broker);
  const admin = createKafka({ clientId: 'kafka-cluster-chaos', brokers, logger: log }).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [system.topics.paymentsInitiated] });
    const partitions = topics[0]!.partitions;
    return { leaders: new Set(partitions.map(({ leader }) => leader)), isr: new Set(partitions.flatMap(({ isr }) => isr)) };
  } finally {
    await admin.disconnect();
  }
}

/** Polls `check` every 250 ms until it answers true or `ms` have passed; returns the seconds it took, or undefined. */
async function secondsUntil(check: () => Promise<boolean>, ms: number): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await check().catch(() => false)) return Math.round((performance.now() - started) / 100) / 10;
    await sleep(250);
  }
  return undefined;
}

describe('chaos on a three-node Kafka cluster: a broker lost loses no accepted payment', () => {
  it('the leader of every partition payments.initiated writes to SIGKILLed mid-run and restarted 10 s later', async () => {
    expect((await paymentsInitiatedReplicas()).leaders).toEqual(new Set([LEADER]));
    let tookOverAfter: number | undefined;
    const counts = await runScenario(
      system,
      'leader of payments.initiated SIGKILLed, restarted 10 s later',
      async () => {
        await node(LEADER).kill();
        const killed = performance.now();
        tookOverAfter = await secondsUntil(async () => !(await paymentsInitiatedReplicas(LEADER)).leaders.has(LEADER), 10_000);
        await sleep(10_000 - (performance.now() - killed));
        await node(LEADER).start();
      },
      { payments: PAYMENTS },
    );
    console.info(`chaos: node ${LEADER} killed: node 2 led payments.initiated after ${tookOverAfter ?? 'more than 10'} s`);
    expect(counts.confirmed).toBe(PAYMENTS);
  });

  it('a follower of payments.initiated paused with SIGSTOP for 30 s (the in-sync set shrinks), then resumed', async () => {
    expect((await paymentsInitiatedReplicas()).leaders.has(FOLLOWER)).toBe(false);
    let shrunkAfter: number | undefined;
    const counts = await runScenario(
      system,
      'follower of payments.initiated paused for 30 s',
      async () => {
        node(FOLLOWER).signal('SIGSTOP');
        const paused = performance.now();
        try {
          shrunkAfter = await secondsUntil(async () => !(await paymentsInitiatedReplicas(FOLLOWER)).isr.has(FOLLOWER), 30_000);
          await sleep(30_000 - (performance.now() - paused));
        } finally {
          node(FOLLOWER).signal('SIGCONT');
        }
      },
      { payments: PAYMENTS },
    );
    console.info(`chaos: node ${FOLLOWER} paused: it left the in-sync replicas of payments.initiated after ${shrunkAfter ?? 'more than 30'} s`);
    expect(shrunkAfter, 'the paused follower never left the in-sync replicas').toBeDefined();
    expect(counts.confirmed).toBe(PAYMENTS);
    // Back in sync once it runs again, or the next scenario would start on two replicas.
    expect(await secondsUntil(async () => (await paymentsInitiatedReplicas()).isr.has(FOLLOWER), 60_000)).toBeDefined();
  });

  it('the controller quorum loses its leader, SIGKILLed mid-run, and the other two carry on', async () => {
    const controller = await system.kafka.quorumLeader();
    expect(controller).toBeDefined();
    try {
      const counts = await runScenario(system, `quorum leader (node ${controller}) SIGKILLed`, () => node(controller!).kill(), { payments: PAYMENTS });
      expect(counts.confirmed).toBe(PAYMENTS);
      const successor = await system.kafka.quorumLeader();
      console.info(`chaos: quorum leader node ${controller} killed: node ${successor} leads the quorum`);
      expect(successor).not.toBe(controller);
    } finally {
      await node(controller!).start();
    }
  });
});
