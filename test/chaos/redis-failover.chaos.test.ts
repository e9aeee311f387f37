import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replicationOf } from '../../infra/redis/redis-probe.js';
import type { LocalRedisSet, RedisSetMember } from '../../infra/redis/local-redis-set.js';
import { sleep } from '../../lib/sleep.js';
import { startChaosSystem, type ChaosSystem } from './chaos-system.js';
import { postPayments } from './load.js';
import { runScenario, type ScenarioResult } from './scenario.js';
import { ShopperPages, type PagesReport } from './shoppers.js';
import { waitForTerminal } from './invariants.js';

/**
 * Redis as production runs it: a primary, two replicas and three Sentinels, every BFF replica
 * connected through the Sentinels, the accept path waiting for one replica (REDIS_WAIT_REPLICAS's
 * default through Sentinel). Each scenario breaks one node while 300 payments arrive at 100/s, each
 * followed by a shopper's page on one of the two BFF replicas: every payment must end answered 202
 * (a 503 retried with its key), charged once and confirmed, and every page must hear its final
 * status, also the pages on the replica whose pushes crossed the Redis stream.
 */
const PAYMENTS = 300;
const RATE = 100;
/** Sentinel's down-after window here: short, so that a scenario is seconds; npm start's is 5 s. */
const DOWN_AFTER_MS = 1_500;
/** A page that missed a push would wait for ever; this is plenty for one that did not. */
const PAGES_TIMEOUT_MS = 30_000;

let system: ChaosSystem;
beforeAll(async () => {
  system = await startChaosSystem({
    suite: 'redis-failover',
    scale: { bffReplicas: 2, billingWorkers: 1, orderWorkers: 1 },
    redisNodes: 3,
    sentinelTiming: { downAfterMs: DOWN_AFTER_MS },
  });
});
afterAll(async () => {
  await system?.stop();
});

const redis = (): LocalRedisSet => system.redisSet;

interface FailoverFigures {
  refused: ScenarioResult['refusedCodes'];
  retriedToAccepted: number;
  slowestAcceptMs: number;
  /** From the disruption to the first 202 answered to a POST sent after it. */
  firstAcceptAfterMs: number | undefined;
  charges: number;
  confirmed: number;
  pages: Omit<PagesReport, 'stuck'>;
  /** Pages of payments posted once the scenario was over, on both replicas, that heard their final status. */
  adapterResumed: string;
}

/**
 * Runs one scenario with a page per payment, then checks that the Socket.IO adapter carries pushes
 * again: 20 more payments, pages on both replicas, each must hear its payment confirmed.
 */
async function failoverScenario(name: string, disrupt: () => Promise<void>): Promise<FailoverFigures> {
  const pages = new ShopperPages(system.urls.replicas);
  let result: ScenarioResult;
  let report: PagesReport;
  try {
    result = await runScenario(system, name, disrupt, { payments: PAYMENTS, rate: RATE, onAccepted: pages.open });
    report = await pages.reached(result.snapshots, PAGES_TIMEOUT_MS);
  } finally {
    pages.close();
  }
  const after = result.accepted.filter((payment) => payment.sentAt >= result.disruptedAt).map((payment) => payment.acceptedAt - result.disruptedAt);
  const figures: FailoverFigures = {
    refused: result.refusedCodes,
    retriedToAccepted: result.retriedToAccepted,
    slowestAcceptMs: result.slowestAcceptMs,
    firstAcceptAfterMs: after.length === 0 ? undefined : Math.round(Math.min(...after)),
    charges: result.charges,
    confirmed: result.confirmed,
    pages: { pages: report.pages, reachedFinal: report.reachedFinal, byReplica: report.byReplica },
    adapterResumed: await adapterResumed(),
  };
  console.info(`chaos: redis failover: ${name}: ${JSON.stringify(figures)}`);
  expect(result.confirmed).toBe(PAYMENTS);
  expect(result.charges).toBe(PAYMENTS);
  expect(report.reachedFinal, `pages that never heard their final status: ${report.stuck.join('; ')}`).toBe(PAYMENTS);
  expect(figures.adapterResumed).toBe('20/20');
  return figures;
}

async function adapterResumed(): Promise<string> {
  const pages = new ShopperPages(system.urls.replicas);
  try {
    const { accepted } = await postPayments(system.urls.bff, 20, 20, pages.open);
    const report = await pages.reached(await waitForTerminal(system.urls.bff, accepted, 60_000), PAGES_TIMEOUT_MS);
    return `${report.reachedFinal}/${report.pages}`;
  } finally {
    pages.close();
  }
}

/** Waits until `member` serves as a replica whose link to the primary is up; returns the seconds it took. */
async function rejoinedAsReplica(member: RedisSetMember, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const state = await replicationOf(member.url);
    if (state?.role === 'slave' && state.linkUp) return Math.round((performance.now() - started) / 100) / 10;
    await sleep(250);
  }
  throw new Error(`${member.name} did not come back as a replica within ${timeoutMs} ms`);
}

describe('chaos on a replicated Redis behind Sentinel: losing a node loses no payment and no push', () => {
  it('the primary SIGKILLed at 1 s and left down: Sentinel promotes a replica', async () => {
    const primary = await redis().primary();
    let promoted: RedisSetMember | undefined;
    let failoverSeconds: number | undefined;
    try {
      await failoverScenario(`primary ${primary.name} SIGKILLed`, async () => {
        await redis().kill(primary);
        const killed = performance.now();
        promoted = await redis().waitForFailover(primary);
        failoverSeconds = Math.round((performance.now() - killed) / 100) / 10;
      });
    } finally {
      // Back as a replica of the promoted node, so that the next scenario has two replicas again.
      await redis().restart(primary);
    }
    console.info(`chaos: redis failover: ${primary.name} killed: ${promoted?.name} promoted after ${failoverSeconds} s`);
    expect(promoted?.name).not.toBe(primary.name);
  });

  it('the primary SIGSTOPped past the down-after window, then resumed: it comes back as a replica', async () => {
    const primary = await redis().primary();
    let promoted: RedisSetMember | undefined;
    let rejoinSeconds: number | undefined;
    await failoverScenario(`primary ${primary.name} paused past the down-after window`, async () => {
      redis().signal(primary, 'SIGSTOP');
      try {
        promoted = await redis().waitForFailover(primary);
      } finally {
        redis().signal(primary, 'SIGCONT');
      }
      rejoinSeconds = await rejoinedAsReplica(primary);
    });
    console.info(
      `chaos: redis failover: ${primary.name} paused: ${promoted?.name} promoted; ${primary.name} back as a replica ${rejoinSeconds} s after it resumed`,
    );
    expect(promoted?.name).not.toBe(primary.name);
    expect((await redis().primary()).name).toBe(promoted?.name);
  });

  it('a replica SIGKILLed at 1 s and left down: the accept path goes on with the other', async () => {
    const primary = await redis().primary();
    const replica = redis().nodes.find((node) => node.name !== primary.name)!;
    let figures: FailoverFigures;
    try {
      figures = await failoverScenario(`replica ${replica.name} SIGKILLed`, () => redis().kill(replica));
    } finally {
      await redis().restart(replica);
    }
    expect(figures.refused).toEqual({});
    expect((await redis().primary()).name).toBe(primary.name);
  });
});
