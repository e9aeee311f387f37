import { randomUUID } from 'node:crypto';
import type { Producer, ProducerBatch } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { newEvent, topicsWithPrefix } from '../contracts/index.js';
import { EventPublisher } from './event-publisher.js';

/** A producer whose sendBatch calls are recorded and settled by the test. */
function recordingProducer() {
  const batches: { batch: ProducerBatch; settle: (err?: Error) => void }[] = [];
  const producer = {
    sendBatch: (batch: ProducerBatch) =>
      new Promise((resolve, reject) => batches.push({ batch, settle: (err) => (err ? reject(err) : resolve([])) })),
  } as unknown as Producer;
  return { producer, batches };
}

const failed = () => newEvent({ type: 'PaymentFailed', paymentId: randomUUID(), correlationId: 'c', data: { reason: { code: 'CARD_DECLINED', message: 'declined' } } });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('EventPublisher', () => {
  it('when calls arrive while a request is in flight, sends them together in the next one', async () => {
    const { producer, batches } = recordingProducer();
    const publisher = new EventPublisher(producer, topicsWithPrefix(''));
    const first = publisher.publish(failed());
    const later = [publisher.publish(failed()), publisher.publish(failed()), publisher.publish(failed())];
    await tick();
    expect(batches).toHaveLength(1);
    batches[0]!.settle();
    await first;
    await tick();
    expect(batches).toHaveLength(2);
    expect(batches[1]!.batch.topicMessages).toEqual([{ topic: 'payments.failed', messages: expect.any(Array) }]);
    expect(batches[1]!.batch.topicMessages![0]!.messages).toHaveLength(3);
    expect(batches[1]!.batch.acks).toBe(-1);
    batches[1]!.settle();
    await Promise.all(later);
  });

  it('when a request fails, every call in it rejects and later calls are still sent', async () => {
    const { producer, batches } = recordingProducer();
    const publisher = new EventPublisher(producer, topicsWithPrefix(''));
    const first = publisher.publish(failed());
    await tick();
    batches[0]!.settle(new Error('broker unreachable'));
    await expect(first).rejects.toThrow('broker unreachable');
    const next = publisher.publish(failed());
    await tick();
    batches[1]!.settle();
    await expect(next).resolves.toBeUndefined();
  });
});
