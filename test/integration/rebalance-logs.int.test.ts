import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeEvent } from '../../contracts/event-codec.js';
import { newEvent } from '../../contracts/new-event.js';
import { startEventConsumer, type RunningConsumer } from '../../lib/event-consumer.js';
import { createEventProducer, createKafka } from '../../lib/kafka.js';
import { ensureTopics } from '../../lib/kafka-topics.js';
import { createLogger } from '../../lib/logger.js';
import { sleep } from '../../lib/sleep.js';
import { until } from '../support/until.js';

const brokers = inject('kafkaBrokers');
const topic = `rebalance-logs-${randomUUID()}`;
const groupId = `rebalance-logs-${randomUUID()}`;
/** pino's level numbers: 50 is error. */
const ERROR = 50;

interface LogLine {
  level: number;
  msg: string;
  role: string;
}

/** Every line the members log, as the processes would write it. */
const lines: LogLine[] = [];
const logger = createLogger('rebalance-test', 'info', { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
const handled = new Map<string, number>();
const kafka = createKafka({ clientId: 'rebalance-producer', brokers, logger: createLogger('rebalance-producer', 'warn') });
const producer = createEventProducer(kafka);
let producing = true;
let traffic: Promise<void>;

/** A member of the group, with a client of its own, as another process would be. */
function startMember(name: string): Promise<RunningConsumer> {
  const member = logger.child({ member: name });
  return startEventConsumer({
    kafka: createKafka({ clientId: `rebalance-${name}`, brokers, logger: member }),
    groupId,
    topics: [topic],
    deadLetters: { sendRecords: () => Promise.reject(new Error('no record of this test is dead-lettered')) },
    logger: member,
    concurrency: 4,
    handle: () => {
      handled.set(name, (handled.get(name) ?? 0) + 1);
      return Promise.resolve();
    },
  });
}

const handledBy = (name: string) => handled.get(name) ?? 0;

beforeAll(async () => {
  await ensureTopics(kafka, [topic], { partitions: 4 });
  await producer.connect();
  // Records keep arriving through every join and leave, so offsets are committed meanwhile.
  traffic = (async () => {
    while (producing) {
      const event = newEvent({ type: 'PaymentFailed', paymentId: randomUUID(), correlationId: randomUUID(), data: { reason: { code: 'CARD_DECLINED', message: 'Declined.' } } });
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
    const first = await startMember('first');
    await until(() => handledBy('first') > 5, 60_000);

    for (const round of [1, 2, 3]) {
      const name = `second-${round}`;
      const second = await startMember(name);
      await until(() => handledBy(name) > 5, 60_000);
      await second.stop();
      const afterLeave = handledBy('first');
      await until(() => handledBy('first') > afterLeave + 20, 60_000);
    }
    await first.stop();

    const errors = lines.filter((line) => line.level >= ERROR);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
    // The rebalances did happen, and kafkajs said so below error.
    expect(lines.filter((line) => line.msg === 'The group is rebalancing, re-joining').length).toBeGreaterThanOrEqual(3);
  });
});
