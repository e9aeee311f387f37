import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { deadLetterRecord } from '../../lib/dead-letter.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { readDeadLetter } from './dead-letter-facts.js';

const message = (key: string, headers: KafkaMessage['headers'] = {}): KafkaMessage => ({
  key: Buffer.from(key),
  value: Buffer.from('{not json'),
  headers,
  offset: '41',
  timestamp: String(Date.parse('2026-01-01T00:00:00Z')),
  attributes: 0,
});

describe('readDeadLetter', () => {
  it('reads back what lib/dead-letter.ts wrote: the payment from the key, the error and origin from the headers', () => {
    const paymentId = randomUUID();
    const written = deadLetterRecord(
      { groupId: 'payflow-billing', topic: 'payments.initiated', partition: 2, message: message(paymentId) },
      new PermanentError('CARD_REFUSED', 'refused'),
    );
    const headers = Object.fromEntries(Object.entries(written.message.headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]));
    const read = readDeadLetter('payments.initiated.dlq', 0, { ...message(paymentId, headers), offset: '7' });
    expect(read).toMatchObject({
      paymentId,
      facts: {
        dlqTopic: 'payments.initiated.dlq',
        dlqPartition: 0,
        dlqOffset: '7',
        sourceTopic: 'payments.initiated',
        sourcePartition: 2,
        sourceOffset: '41',
        consumerGroup: 'payflow-billing',
        code: 'CARD_REFUSED',
        message: 'refused',
      },
    });
  });

  it('a key that is not a paymentId leaves the payment unknown; a record without dlq-* headers is not a dead letter', () => {
    const headers = { 'dlq-source-topic': Buffer.from('payments.initiated'), 'dlq-source-partition': Buffer.from('0'), 'dlq-source-offset': Buffer.from('3') };
    expect(readDeadLetter('payments.initiated.dlq', 0, message('poison-0', headers))).toMatchObject({
      paymentId: undefined,
      facts: { code: 'UNKNOWN', failedAt: '2026-01-01T00:00:00.000Z' },
    });
    expect(readDeadLetter('payments.initiated.dlq', 0, message(randomUUID()))).toBeNull();
  });
});
