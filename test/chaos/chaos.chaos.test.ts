import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterTopic, PLANS } from '../../contracts/index.js';
import { injectPoison, readDeadLetters } from '../support/dead-letters.js';
import { startChaosSystem, type ChaosSystem } from './chaos-system.js';
import { answerAtTheBank, type BankAnswer } from './bank-shoppers.js';
import type { Accepted } from './load.js';
import { runScenario, type ScenarioResult } from './scenario.js';
import { sleep } from '../../lib/sleep.js';
import { control } from '../integration/harness/shopper.js';
import { metricSum } from '../support/metrics.js';

/**
 * Each scenario puts a few hundred payments in flight, breaks something on purpose halfway,
 * repairs it, and then checks the guarantees from the stand-ins' ledgers and the snapshots.
 */
let system: ChaosSystem;
beforeAll(async () => {
  system = await startChaosSystem();
});
afterAll(async () => {
  await system?.stop();
});

const PAYMENTS = 300;
const scenario = (name: string, disrupt: () => Promise<void>) => runScenario(system, name, disrupt, { payments: PAYMENTS });

describe('chaos: nothing acknowledged is lost, nobody is charged twice or left charged without an order', () => {
  it('Billing Gates down for 20 s', async () => {
    const counts = await scenario('Billing Gates down for 20 s', async () => {
      await control(system.urls.billingGates, { down: true });
      await sleep(20_000);
      await control(system.urls.billingGates, { down: false });
    });
    expect(counts.confirmed).toBe(PAYMENTS);
    expect(counts.refused).toEqual({});
  });

  it('Udi refusing every order of one plan', async () => {
    const failing = PLANS[0]!.id;
    try {
      const counts = await scenario(`Udi refusing plan ${failing}`, () => control(system.urls.udi, { failPlans: [failing] }));
      expect(counts.refunded).toBeGreaterThan(0);
      expect(counts.confirmed + counts.refunded).toBe(PAYMENTS);
      expect(counts.refunds).toBe(counts.refunded);
    } finally {
      await control(system.urls.udi, { failPlans: [] });
    }
  });

  it('billing worker SIGKILLed mid-stream and restarted', async () => {
    const counts = await scenario('billing worker SIGKILL', async () => {
      await system.kill('billing-worker');
      await sleep(2_000);
      await system.restart('billing-worker');
    });
    expect(counts.confirmed).toBe(PAYMENTS);
  });

  it('a third of the cards need the bank (3-D Secure), every webhook sent twice, the billing worker SIGKILLed mid-stream', async () => {
    const THREE_DS = 'pm_card_3ds_required';
    const answers: Array<Promise<{ payment: Accepted; answered: BankAnswer }>> = [];
    let needingTheBank = 0;
    await control(system.urls.billingGates, { webhookDeliveries: 2 });
    let counts: ScenarioResult;
    try {
      counts = await runScenario(
        system,
        '3-D Secure, webhooks twice, billing worker SIGKILL',
        async () => {
          await system.kill('billing-worker');
          await sleep(2_000);
          await system.restart('billing-worker');
        },
        {
          payments: PAYMENTS,
          tokenOf: (i) => (i % 3 === 0 ? THREE_DS : 'pm_card_ok'),
          // Of the shoppers sent to their bank, every fifth fails the challenge; the others complete it.
          onAccepted: (payment) => {
            if (payment.token !== THREE_DS) return;
            const answer = needingTheBank++ % 5 === 4 ? 'fail' : 'complete';
            answers.push(answerAtTheBank(system.urls.bff, payment, answer).then((answered) => ({ payment, answered })));
          },
        },
      );
    } finally {
      await control(system.urls.billingGates, { webhookDeliveries: 1 });
    }
    const answered = await Promise.all(answers);
    const failedAtTheBank = answered.filter(({ answered }) => answered === 'fail');
    const unanswered = answered.filter(({ answered }) => answered === 'none').length;
    const webhooks = await webhookDeliveries(system.urls.replicas);
    console.info(`chaos: 3-D Secure: ${JSON.stringify({ atTheBank: answered.length, failedAtTheBank: failedAtTheBank.length, unanswered, webhooks })}`);
    expect(answered).toHaveLength(PAYMENTS / 3);
    expect(answered.filter(({ answered }) => answered === 'none')).toEqual([]);
    // One charge for each payment completed or never asked; none where the shopper failed the bank.
    expect({ confirmed: counts.confirmed, failed: counts.failed, charges: counts.charges }).toEqual({
      confirmed: PAYMENTS - failedAtTheBank.length,
      failed: failedAtTheBank.length,
      charges: PAYMENTS - failedAtTheBank.length,
    });
    for (const { payment } of failedAtTheBank) expect(counts.snapshots.get(payment.paymentId)?.reason?.code).toBe('AUTHENTICATION_FAILED');
  });

  it('order worker SIGKILLed mid-stream and restarted', async () => {
    const counts = await scenario('order worker SIGKILL', async () => {
      await system.kill('order-worker');
      await sleep(2_000);
      await system.restart('order-worker');
    });
    expect(counts.confirmed).toBe(PAYMENTS);
  });

  it('Redis restarted', async () => {
    const counts = await scenario('Redis restarted', () => system.restartRedis());
    expect(counts.confirmed).toBe(PAYMENTS);
  });

  it('Kafka broker restarted', async () => {
    const counts = await scenario('Kafka broker restarted', () => system.restartKafka());
    expect(counts.confirmed).toBe(PAYMENTS);
  });

  it('malformed records injected into every consumed topic', async () => {
    const topics = Object.values(system.topics);
    const partitions = [0, 1, 2, 3, 4, 5];
    const counts = await scenario('poison records', async () => {
      await injectPoison(system.kafkaBrokers, topics, partitions);
    });
    expect(counts.confirmed).toBe(PAYMENTS);
    // Each consuming group dead-letters what it reads: payments.succeeded and orders.failed have two.
    const readers = new Map([
      [system.topics.paymentsSucceeded, 2],
      [system.topics.ordersFailed, 2],
    ]);
    const expected = topics.reduce((sum, topic) => sum + (readers.get(topic) ?? 1) * partitions.length, 0);
    const dead = await readDeadLetters(system.kafkaBrokers, topics, expected);
    console.info(`chaos: poison records: ${topics.length * partitions.length} injected, ${dead.length} dead-lettered (${expected} expected)`);
    expect(dead).toHaveLength(expected);
    for (const topic of topics) {
      expect(dead.filter((d) => d.topic === deadLetterTopic(topic))).toHaveLength((readers.get(topic) ?? 1) * partitions.length);
    }
  });
});

/** The BFF replicas' webhook deliveries, summed by outcome (payflow_webhooks_total). */
async function webhookDeliveries(replicas: string[]): Promise<Record<string, number>> {
  const outcomes = ['published', 'duplicate', 'refused', 'not_published'];
  const sums = await Promise.all(
    outcomes.map(async (outcome) =>
      (await Promise.all(replicas.map((url) => metricSum(url, 'payflow_webhooks_total', { outcome })))).reduce((a, b) => a + b, 0),
    ),
  );
  return Object.fromEntries(outcomes.map((outcome, i) => [outcome, sums[i]!]));
}
