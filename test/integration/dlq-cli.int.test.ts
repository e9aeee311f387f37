import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Admin, IHeaders, KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeEvent, newEvent, PLANS, PoisonRecordError, topicsWithPrefix, type Topics } from '../../contracts/index.js';
import { deadLetterRecord, REPLAY_GROUP_HEADER, REPLAYS_HEADER } from '../../lib/dead-letter.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { connectRedis } from '../../lib/redis-connection.js';
import { sleep } from '../../lib/sleep.js';
import { REPO_ROOT } from '../../scripts/start-config.js';
import { readRecords } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';
import { control, ledger, ledgerKinds, pay } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** What `npm run dlq` runs (tsx scripts/dlq/main.ts), without the tsx launcher's second Node process. */
const DLQ_ENTRY = ['--import', 'tsx', 'scripts/dlq/main.ts'];

let system: System;
/** Every process' log lines, the BFF's dead-letter reader among them. */
const logLines: string[] = [];
let topics: Topics;
let admin: Admin;
let redis: Redis;
/**
 * A valid PaymentInitiated that the billing worker could not charge, a poison record, one replayed
 * as often as allowed, and a PaymentSucceeded the BFF's status group could not apply because the
 * payment's snapshot in Redis is unreadable (and stays so: its replay fails again).
 */
const payment = { valid: randomUUID(), poison: randomUUID(), exhausted: randomUUID(), failsAgain: randomUUID() };
/** The value of the valid payment's dead letter: replay must send it unchanged. */
let sentValue: string;

/** The CLI behind `npm run dlq -- …`, as an operator runs it: a child process with the deployment's environment. */
function dlq(...args: string[]): Promise<Run> {
  const env = { ...process.env, KAFKA_BROKERS: system.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: system.topicPrefix };
  return new Promise((resolve) => {
    execFile(process.execPath, [...DLQ_ENTRY, ...args], { cwd: REPO_ROOT, env, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

const escape = (text: string) => text.replaceAll('.', '\\.');

function jsonLines(text: string): Array<Record<string, any>> {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** A record of payments.initiated, as the billing worker read it at `offset`. */
function consumed(key: string, value: string, headers: IHeaders, offset: string): KafkaMessage {
  return { key: Buffer.from(key), value: Buffer.from(value), headers, offset, timestamp: String(Date.now()), attributes: 0 };
}

/** Where the BFF keeps a payment's status snapshot. */
const snapshotKey = (paymentId: string) => `payflow:payment:${paymentId}:snapshot`;

function initiated(paymentId: string) {
  const plan = PLANS[0]!;
  return encodeEvent(
    newEvent({
      type: 'PaymentInitiated',
      paymentId,
      correlationId: `corr-${paymentId}`,
      data: { planId: plan.id, amount: plan.amount, customer: { email: 'dlq@example.com' }, paymentMethod: { token: 'pm_card_ok' } },
    }),
  );
}

/** Records on `topic` now, over all partitions. */
async function recordCount(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
}

/** Resolves once `groupId` has committed every record now on `topic` (handled, or passed over). */
async function caughtUp(groupId: string, topic: string, timeoutMs = 60_000): Promise<void> {
  // Partitions that never had a record have nothing to commit.
  const ends = (await admin.fetchTopicOffsets(topic)).filter(({ high }) => high !== '0');
  await until(
    async () => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return ends.every(({ partition, high }) => committed?.partitions.find((p) => p.partition === partition)?.offset === high);
    },
    timeoutMs,
    250,
  );
}

async function statusOf(payment: { paymentId: string; clientSecret: string }): Promise<string | undefined> {
  const response = await fetch(`${system.bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
  return response.ok ? ((await response.json()) as { status: string }).status : undefined;
}

async function charges(paymentId: string): Promise<number> {
  return (await ledger(system.billingGatesUrl, paymentId)).filter((entry) => entry.kind === 'charge').length;
}

beforeAll(async () => {
  system = await startSystem({ logLines });
  topics = topicsWithPrefix(system.topicPrefix);
  const kafka = createKafka({ clientId: 'dlq-test', brokers: system.kafkaBrokers, logger: createLogger('test', 'silent') });
  admin = kafka.admin();
  await admin.connect();
  redis = connectRedis(inject('redisUrl'));

  // Dead letters as the billing worker's consumer writes them (deadLetterRecord), so the headers are the real ones.
  const groupId = `${system.topicPrefix}payflow-billing-worker`;
  const source = (message: KafkaMessage) => ({ groupId, topic: topics.paymentsInitiated, partition: 0, message });
  const valid = initiated(payment.valid);
  sentValue = valid.value;
  const exhausted = initiated(payment.exhausted);
  const refused = new PermanentError('BILLING_GATES_REFUSED', 'Billing Gates answered 422: unknown plan');
  const plan = PLANS[0]!;
  const succeeded = encodeEvent(
    newEvent({
      type: 'PaymentSucceeded',
      paymentId: payment.failsAgain,
      correlationId: `corr-${payment.failsAgain}`,
      data: { chargeId: 'ch_dlq', planId: plan.id, amount: plan.amount, customer: { email: 'dlq@example.com' } },
    }),
  );
  await redis.set(snapshotKey(payment.failsAgain), '{"paymentId": "half a snapsh');
  const unreadable = new PermanentError('SNAPSHOT_UNREADABLE', `The stored status of payment ${payment.failsAgain} cannot be read (it is not JSON)`);
  const statusSource = {
    groupId: `${system.topicPrefix}payflow-bff-status`,
    topic: topics.paymentsSucceeded,
    partition: 0,
    message: consumed(payment.failsAgain, succeeded.value, succeeded.headers, '20'),
  };
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (const record of [
      deadLetterRecord(source(consumed(payment.valid, valid.value, valid.headers, '10')), refused),
      deadLetterRecord(
        source(consumed(payment.poison, '{"type":"PaymentInitiated","data":{"encryptedSsoToken":"sealed-secret"', {}, '11')),
        new PoisonRecordError('record value is not JSON'),
      ),
      deadLetterRecord(source(consumed(payment.exhausted, exhausted.value, { ...exhausted.headers, [REPLAYS_HEADER]: '3' }, '12')), refused),
      deadLetterRecord(statusSource, unreadable),
    ]) {
      await producer.send({ topic: record.topic, acks: -1, messages: [record.message] });
    }
  } finally {
    await producer.disconnect();
  }
});

afterAll(async () => {
  await redis?.del(snapshotKey(payment.failsAgain));
  await redis?.quit();
  await admin?.disconnect();
  await system?.stop();
});

describe('npm run dlq', () => {
  it('when asked for help it prints the usage and exits 0; an unknown command or option exits 2 with the usage', async () => {
    const help = await dlq('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run dlq -- <command> [options]');

    const unknown = await dlq('purge');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "purge"');
    expect(unknown.stderr).toContain('npm run dlq -- <command> [options]');

    const badOption = await dlq('show', '--payment', 'x');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("'--payment'");
  });

  it('when no broker answers, it says where it looked and exits 1', async () => {
    const env = { ...process.env, KAFKA_BROKERS: '127.0.0.1:1', KAFKA_TOPIC_PREFIX: system.topicPrefix };
    const run = await new Promise<Run>((resolve) =>
      execFile(process.execPath, [...DLQ_ENTRY, 'list'], { cwd: REPO_ROOT, env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr }),
      ),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no Kafka broker answers at 127.0.0.1:1 (KAFKA_BROKERS)');
  });

  it('list shows each dead-letter topic with its count, oldest and newest failure, and error codes, and leaves no consumer group behind', async () => {
    // The CLI's readers are the payflow-dlq-reader-* groups; on a shared broker other systems' groups come and go meanwhile.
    const readerGroups = async () => (await admin.listGroups()).groups.map(({ groupId }) => groupId).filter((group) => group.startsWith('payflow-dlq-reader-'));
    const groupsBefore = await readerGroups();
    const run = await dlq('list', '--json');
    expect(run.code).toBe(0);
    const summaries = jsonLines(run.stdout);
    expect(summaries.map((summary) => String(summary.topic))).toEqual(Object.values(topics).map((topic) => `${topic}.dlq`));
    const initiatedDlq = summaries.find((summary) => summary.topic === `${topics.paymentsInitiated}.dlq`);
    expect(initiatedDlq).toMatchObject({ records: 3, replayed: 0, errorCodes: { BILLING_GATES_REFUSED: 2, POISON_RECORD: 1 } });
    expect(Date.parse(initiatedDlq!.oldest)).toBeLessThanOrEqual(Date.parse(initiatedDlq!.newest));
    expect(summaries.find((summary) => summary.topic === `${topics.ordersFailed}.dlq`)).toMatchObject({ records: 0, oldest: null, errorCodes: {} });

    const text = await dlq('list');
    expect(text.stdout).toMatch(new RegExp(`${escape(topics.paymentsInitiated)}\\.dlq +3 +0 .*BILLING_GATES_REFUSED 2, POISON_RECORD 1`));
    const groupsAfter = await readerGroups();
    expect(groupsAfter.filter((group) => !groupsBefore.includes(group))).toEqual([]);
  });

  it('show --payment-id shows only that record, with its dlq-* headers, and masks tokens', async () => {
    const run = await dlq('show', '--payment-id', payment.valid, '--json');
    expect(run.code).toBe(0);
    const records = jsonLines(run.stdout);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      topic: `${topics.paymentsInitiated}.dlq`,
      key: payment.valid,
      eventType: 'PaymentInitiated',
      headers: {
        'dlq-source-topic': topics.paymentsInitiated,
        'dlq-source-partition': '0',
        'dlq-source-offset': '10',
        'dlq-error-code': 'BILLING_GATES_REFUSED',
        'dlq-consumer-group': `${system.topicPrefix}payflow-billing-worker`,
      },
      value: { paymentId: payment.valid, data: { paymentMethod: { token: '[masked, 10 characters]' } } },
    });

    const poison = await dlq('show', '--payment-id', payment.poison);
    expect(poison.stdout).toContain(`source      ${topics.paymentsInitiated}/0@11, group ${system.topicPrefix}payflow-billing-worker`);
    expect(poison.stdout).toContain('POISON_RECORD: record value is not JSON');
    expect(poison.stdout).not.toContain('sealed-secret');
    expect(poison.stdout).toContain('1 record(s)');
  });

  it('replay --dry-run says what it would replay and sends nothing: no record on the source topic, no charge', async () => {
    const run = await dlq('replay', '--payment-id', payment.valid, '--dry-run');
    expect(run.code).toBe(0);
    // The dead letter's partition follows its key, a random paymentId.
    expect(run.stdout).toMatch(
      new RegExp(
        `^would replay ${escape(topics.paymentsInitiated)}\\.dlq/\\d@0 \\(paymentId ${payment.valid}\\) → ${escape(topics.paymentsInitiated)}, for ${escape(system.topicPrefix)}payflow-billing-worker only, as replay 1 of at most 3$`,
        'm',
      ),
    );
    expect(run.stdout).toContain('dry run: 1 would be replayed, 0 refused, of 1 selected; nothing was sent');
    await sleep(2_000);
    expect(await recordCount(topics.paymentsInitiated)).toBe(0);
    expect(await charges(payment.valid)).toBe(0);
  });

  it('replay --payment-id twice: the payment is charged once and succeeds once; the second run refuses the dead letter already replayed', async () => {
    const first = await dlq('replay', '--payment-id', payment.valid);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('1 replayed, 0 refused, 0 failed, of 1 selected');
    const second = await dlq('replay', '--payment-id', payment.valid);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/refused .*: already replayed at /);
    expect(second.stdout).toContain('0 replayed, 1 refused, 0 failed, of 1 selected');

    const succeeded = await readRecords(system.kafkaBrokers, [topics.paymentsSucceeded], {
      until: (read) => read.some((record) => record.key === payment.valid),
      timeoutMs: 60_000,
      settleMs: 3_000,
    });
    expect(succeeded.filter((record) => record.key === payment.valid && record.headers['event-type'] === 'PaymentSucceeded')).toHaveLength(1);
    expect(await charges(payment.valid)).toBe(1);

    // The replayed record: same key and value, no dlq-* headers but the replay count and the group it is for.
    const replayed = await readRecords(system.kafkaBrokers, [topics.paymentsInitiated], {
      until: (read) => read.length >= 1,
      timeoutMs: 30_000,
      settleMs: 500,
    });
    expect(replayed).toHaveLength(1);
    expect(replayed[0]!.key).toBe(payment.valid);
    expect(replayed[0]!.value).toBe(sentValue);
    expect(Object.keys(replayed[0]!.headers).filter((name) => name.startsWith('dlq-'))).toEqual([REPLAYS_HEADER, REPLAY_GROUP_HEADER]);
    expect(replayed[0]!.headers[REPLAYS_HEADER]).toBe('1');
    expect(replayed[0]!.headers[REPLAY_GROUP_HEADER]).toBe(`${system.topicPrefix}payflow-billing-worker`);

    const listed = jsonLines((await dlq('list', '--topic', 'payments.initiated', '--json')).stdout);
    expect(listed).toEqual([expect.objectContaining({ records: 3, replayed: 1 })]);
  });

  it('a record replayed as often as --max-replays allows is refused, saying why, and not charged', async () => {
    const run = await dlq('replay', '--payment-id', payment.exhausted);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`(paymentId ${payment.exhausted}): replayed 3 time(s) already, the most --max-replays allows (3)`);
    expect(run.stdout).toContain('0 replayed, 1 refused, 0 failed, of 1 selected');
    await sleep(2_000);
    expect(await charges(payment.exhausted)).toBe(0);
  });

  it('a record whose value is not a payment event is refused, saying why, and nothing is sent', async () => {
    const run = await dlq('replay', '--payment-id', payment.poison);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`(paymentId ${payment.poison}): its value is not a payment event (record value is not JSON)`);
    expect(run.stdout).toContain('0 replayed, 1 refused, 0 failed, of 1 selected');
    expect(run.stdout).not.toContain('sealed-secret');
  });

  it('a replayed record that fails again is dead-lettered again carrying its replay count, and then counts toward the limit', async () => {
    const statusGroup = `${system.topicPrefix}payflow-bff-status`;
    const run = await dlq('replay', '--payment-id', payment.failsAgain, '--json');
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines[0]).toMatchObject({ outcome: 'replayed', to: topics.paymentsSucceeded, group: statusGroup, replays: 1 });
    expect(lines.at(-1)).toEqual({ summary: { dryRun: false, selected: 1, replayed: 1, 'would-replay': 0, refused: 0, failed: 0 } });

    let again: Array<Record<string, any>> = [];
    const deadline = Date.now() + 60_000;
    while (again.length < 2 && Date.now() < deadline) {
      again = jsonLines((await dlq('show', '--payment-id', payment.failsAgain, '--json')).stdout);
      if (again.length < 2) await sleep(1_000);
    }
    expect(again).toHaveLength(2);
    expect(again[1]).toMatchObject({
      headers: {
        [REPLAYS_HEADER]: '1',
        [REPLAY_GROUP_HEADER]: statusGroup,
        'dlq-consumer-group': statusGroup,
        'dlq-error-code': 'SNAPSHOT_UNREADABLE',
        'dlq-source-topic': topics.paymentsSucceeded,
      },
    });
    // The order worker, which reads payments.succeeded too, passed the replay over: no order.
    await caughtUp(`${system.topicPrefix}payflow-order-worker`, topics.paymentsSucceeded);
    expect(await ledger(system.udiUrl, payment.failsAgain)).toEqual([]);

    const refused = await dlq('replay', '--payment-id', payment.failsAgain, '--max-replays', '1');
    expect(refused.stdout).toMatch(/already replayed at /);
    expect(refused.stdout).toMatch(/replayed 1 time\(s\) already, the most --max-replays allows \(1\)/);
    expect(refused.stdout).toContain('0 replayed, 2 refused, 0 failed, of 2 selected');
  });

  it("the BFF's dead-letter reader passes over the notes a replay leaves, without a warning", async () => {
    // The second dead letter of the record that failed again comes after its replay note in the same partition.
    const recorded = () => logLines.filter((line) => line.includes('dead-lettered record recorded') && line.includes(payment.failsAgain)).length;
    const until = Date.now() + 30_000;
    while (recorded() < 2 && Date.now() < until) await sleep(500);
    expect(recorded()).toBe(2);
    expect(logLines.filter((line) => line.includes('on a dead-letter topic; skipped'))).toEqual([]);
  });
});

describe('npm run dlq replay reaches only the consumer group that dead-lettered the record', () => {
  it("a payments.succeeded dead letter of the BFF's status group, replayed after the payment was refunded: Udi confirms nothing, the payment stays refunded", async () => {
    const statusGroup = `${system.topicPrefix}payflow-bff-status`;
    const orderGroup = `${system.topicPrefix}payflow-order-worker`;
    const skipped = (url: string) => metricSum(url, 'payflow_replays_skipped_total', { topic: topics.paymentsSucceeded });
    const [orderSkippedBefore, statusSkippedBefore] = [await skipped(system.orderWorkerUrl), await skipped(system.bffUrl)];
    const statusDeadLetters = () => metricSum(system.bffUrl, 'payflow_dead_lettered_total', { topic: topics.paymentsSucceeded });
    const deadBefore = await statusDeadLetters();
    // Slow charges, so the snapshot is spoilt before PaymentSucceeded reaches the BFF; Udi away,
    // so the order waits until the BFF has dead-lettered it.
    await control(system.billingGatesUrl, { latencyMs: 1_500 });
    await control(system.udiUrl, { down: true });
    const payment = await pay(system.bffUrl);
    try {
      await redis.set(snapshotKey(payment.paymentId), '{"paymentId": "half a snapsh');
      await until(async () => (await statusDeadLetters()) > deadBefore, 30_000);
      // Repaired as the dead letter says (the key deleted); Udi back, refusing the confirm: refunded.
      await redis.del(snapshotKey(payment.paymentId));
      await control(system.udiUrl, { down: false, refuseConfirms: true });
      await until(async () => (await statusOf(payment)) === 'refunded', 60_000, 250);
    } finally {
      await control(system.billingGatesUrl, { latencyMs: 20 });
      await control(system.udiUrl, { down: false, refuseConfirms: false });
    }
    const udiBefore = await ledgerKinds(system.udiUrl, payment.paymentId);
    expect(udiBefore).not.toContain('confirm');

    // Udi confirms again; the operator replays the status group's dead letter of PaymentSucceeded.
    const run = await dlq('replay', '--topic', 'payments.succeeded', '--payment-id', payment.paymentId, '--json');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ summary: { replayed: 1, refused: 0, failed: 0 } });
    await caughtUp(statusGroup, topics.paymentsSucceeded);
    await caughtUp(orderGroup, topics.paymentsSucceeded);

    expect(await ledgerKinds(system.udiUrl, payment.paymentId)).toEqual(udiBefore);
    expect(await statusOf(payment)).toBe('refunded');
    // The order worker passed the replay over; the status group, which it was for, handled it.
    expect(await skipped(system.orderWorkerUrl)).toBe(orderSkippedBefore + 1);
    expect(await skipped(system.bffUrl)).toBe(statusSkippedBefore);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ outcome: 'replayed', group: statusGroup });
  });
});
