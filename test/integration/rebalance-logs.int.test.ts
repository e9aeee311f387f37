import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeEvent } from '../../contracts/event-codec.js';
import { newEvent } from '../../contracts/new-event.js';
import { createEventProducer, createKafka } from '../../lib/kafka.js';
import { ensureTopics } from '../../lib/kafka-topics.js';
import { createLogger } from '../../lib/logger.js';
import { sleep } from '../../lib/sleep.js';
import { REPO_ROOT } from '../../scripts/start-config.js';
import { until } from '../support/until.js';
import { startGroupMember } from './harness/group-member.js';

const brokers = inject('kafkaBrokers');
const topic = `rebalance-logs-${randomUUID()}`;
/** pino's level numbers: 50 is error. */
const ERROR = 50;

interface LogLine {
  level: number;
  msg: string;
  member?: string;
}

/** Every line the members log, in this process and in the member processes, as they would write it. */
const lines: LogLine[] = [];
const logger = createLogger('rebalance-test', 'info', { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
const handled = new Map<string, number>();
const count = (name: string) => handled.set(name, handledBy(name) + 1);
const handledBy = (name: string) => handled.get(name) ?? 0;

const kafka = createKafka({ clientId: 'rebalance-producer', brokers, logger: createLogger('rebalance-producer', 'warn') });
const producer = createEventProducer(kafka);
let producing = true;
let traffic: Promise<void>;

function startMember(groupId: string, name: string) {
  return startGroupMember({ brokers, topic, groupId, name, logger, onHandled: () => count(name) });
}

/** A member in a process of its own (test/integration/harness/group-member-main.ts), to freeze and kill. */
function spawnMember(groupId: string, name: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/harness/group-member-main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, KAFKA_BROKERS: brokers.join(','), TOPIC: topic, GROUP_ID: groupId, MEMBER_NAME: name },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as LogLine;
    if (line.msg === 'handled') count(name);
    else lines.push(line);
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
const errorLines = () => lines.filter((line) => line.level >= ERROR);

beforeAll(async () => {
  await ensureTopics(kafka, [topic], { partitions: 4 });
  await producer.connect();
  // Records keep arriving through every join and leave, so offsets are committed meanwhile.
  traffic = (async () => {
    while (producing) {
      const event = newEvent({
        type: 'PaymentFailed',
        paymentId: randomUUID(),
        correlationId: randomUUID(),
        data: { reason: { code: 'CARD_DECLINED', message: 'Declined.' } },
      });
      await producer.send({ topic, messages: [encodeEvent(event)] });
      await sleep(10);
    }
  })();
});

afterAll(async () => {
  producing = false;
  await traffic;
  await producer.disconnect();
});

describe('kafkajs logs on a plain rebalance', () => {
  // Three rounds, each a rebalance on the join and one on the leave, while the first member
  // commits offsets: a commit that meets a rebalance is answered "generation id is not valid".
  it('when a second member joins the group and leaves again, three times, no line is logged at error', async () => {
    lines.length = 0;
    const groupId = `rebalance-logs-${randomUUID()}`;
    const first = await startMember(groupId, 'first');
    await until(() => handledBy('first') > 5, 60_000);

    for (const round of [1, 2, 3]) {
      const name = `second-${round}`;
      const second = await startMember(groupId, name);
      await until(() => handledBy(name) > 5, 60_000);
      await second.stop();
      const afterLeave = handledBy('first');
      await until(() => handledBy('first') > afterLeave + 20, 60_000);
    }
    await first.stop();

    expect(errorLines(), JSON.stringify(errorLines(), null, 2)).toEqual([]);
    // The rebalances did happen, and kafkajs said so below error.
    expect(lines.filter((line) => line.msg === 'The group is rebalancing, re-joining').length).toBeGreaterThanOrEqual(3);
  });

  // The broker rebalances the group itself when a member misses its heartbeats for the session
  // timeout (10 s): a process frozen for 15 s. Thawed, that member finds the group went on
  // without it and joins again. A warning, not an error: nothing is left to do by hand.
  it('when the broker drops a frozen member and it comes back, no line is logged at error', async () => {
    lines.length = 0;
    const groupId = `rebalance-logs-${randomUUID()}`;
    const first = await startMember(groupId, 'first-b');
    await until(() => handledBy('first-b') > 5, 60_000);
    const frozen = spawnMember(groupId, 'frozen');
    try {
      await until(() => handledBy('frozen') > 5, 60_000);

      frozen.kill('SIGSTOP');
      await sleep(15_000);
      const whileFrozen = handledBy('first-b');
      await until(() => handledBy('first-b') > whileFrozen + 20, 30_000);
      frozen.kill('SIGCONT');

      const afterThaw = handledBy('frozen');
      await until(() => handledBy('frozen') > afterThaw + 5, 60_000);
      frozen.kill('SIGTERM');
      expect(await exited(frozen)).toBe(0);
    } finally {
      frozen.kill('SIGCONT');
      frozen.kill('SIGKILL');
      await first.stop();
    }

    expect(errorLines(), JSON.stringify(errorLines(), null, 2)).toEqual([]);
    expect(
      lines.some((line) => line.member === 'frozen' && line.level === 40 && /not aware of this member|rebalancing/.test(line.msg)),
      JSON.stringify(
        lines.filter((l) => l.member === 'frozen' && l.level >= 40),
        null,
        2,
      ),
    ).toBe(true);
  });
});
