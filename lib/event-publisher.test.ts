import { randomUUID } from 'node:crypto';
import type { Producer, ProducerBatch } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { newEvent, topicsWithPrefix } from '../contracts/index.js';
import { EventPublisher, PublishQueueFullError } from './event-publisher.js';
import { createLogger } from './logger.js';

/** Producers whose sendBatch calls are recorded, with the producer that got them, and settled by the test. */
function recordingProducers() {
  const batches: { batch: ProducerBatch; producer: number; settle: (err?: Error) => void }[] = [];
  const disconnected: number[] = [];
  let created = 0;
  const createProducer = () => {
    const id = ++created;
    return {
      connect: () => Promise.resolve(),
      disconnect: () => {
        disconnected.push(id);
        return Promise.resolve();
      },
      sendBatch: (batch: ProducerBatch) =>
        new Promise((resolve, reject) => batches.push({ batch, producer: id, settle: (err) => (err ? reject(err) : resolve([])) })),
    } as unknown as Producer;
  };
  const publisher = (maxWaiting?: number, lingerMs?: number) =>
    new EventPublisher({ createProducer, topics: topicsWithPrefix(''), logger: createLogger('test', 'silent'), maxWaiting, lingerMs });
  return { publisher, batches, disconnected };
}

const failed = () =>
  newEvent({ type: 'PaymentFailed', paymentId: randomUUID(), correlationId: 'c', data: { reason: { code: 'CARD_DECLINED', message: 'declined' } } });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('EventPublisher', () => {
  it('when calls arrive while a request is in flight, sends them together in the next one', async () => {
    const { publisher: create, batches } = recordingProducers();
    const publisher = create();
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

  it('with a linger, the calls of the next few milliseconds go out in the first request, and nothing is sent before it ends', async () => {
    const { publisher: create, batches } = recordingProducers();
    const publisher = create(undefined, 20);
    const calls = [publisher.publish(failed())];
    await tick();
    calls.push(publisher.publish(failed()));
    await new Promise((resolve) => setTimeout(resolve, 5));
    calls.push(publisher.publish(failed()));
    expect(batches).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.batch.topicMessages![0]!.messages).toHaveLength(3);
    batches[0]!.settle();
    await Promise.all(calls);
  });

  it('when a request fails, every call in it rejects and later calls are still sent', async () => {
    const { publisher: create, batches } = recordingProducers();
    const publisher = create();
    const first = publisher.publish(failed());
    await tick();
    batches[0]!.settle(new Error('broker unreachable'));
    await expect(first).rejects.toThrow('broker unreachable');
    const next = publisher.publish(failed());
    await tick();
    batches[1]!.settle();
    await expect(next).resolves.toBeUndefined();
  });

  it('after a failed send, sends the next batch with a new producer and disconnects the old one', async () => {
    const { publisher: create, batches, disconnected } = recordingProducers();
    const publisher = create();
    const first = publisher.publish(failed());
    await tick();
    batches[0]!.settle(new Error('request timed out'));
    await expect(first).rejects.toThrow('request timed out');
    const next = publisher.publish(failed());
    await tick();
    expect(batches.map((b) => b.producer)).toEqual([1, 2]);
    expect(disconnected).toEqual([1]);
    batches[1]!.settle();
    await expect(next).resolves.toBeUndefined();
    const third = publisher.publish(failed());
    await tick();
    expect(batches[2]!.producer).toBe(2); // a successful send keeps its producer
    batches[2]!.settle();
    await third;
  });

  it('when the waiting calls reach the bound, refuses the next at once with PUBLISH_QUEUE_FULL, and accepts again once they are sent', async () => {
    const { publisher: create, batches } = recordingProducers();
    const publisher = create(3);
    const inFlight = publisher.publish(failed());
    await tick();
    const queued = [publisher.publish(failed()), publisher.publish(failed()), publisher.publish(failed())];
    const refused = publisher.publish(failed());
    await expect(refused).rejects.toBeInstanceOf(PublishQueueFullError);
    await expect(refused).rejects.toMatchObject({ code: 'PUBLISH_QUEUE_FULL', retryable: true });
    batches[0]!.settle();
    await inFlight;
    await tick();
    batches[1]!.settle();
    await Promise.all(queued);
    const accepted = publisher.publish(failed());
    await tick();
    batches[2]!.settle();
    await expect(accepted).resolves.toBeUndefined();
  });
});
