import type { IHeaders, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { deadLetterRecord, REPLAYS_HEADER } from './dead-letter.js';

function message(headers: IHeaders): KafkaMessage {
  return { key: Buffer.from('p-1'), value: Buffer.from('{}'), headers, offset: '7', timestamp: '0', attributes: 0 };
}

describe('deadLetterRecord', () => {
  it('when a replayed record fails again, its dead letter keeps the replay count', () => {
    const record = deadLetterRecord(
      { groupId: 'g', topic: 'payments.initiated', partition: 2, message: message({ [REPLAYS_HEADER]: '2', 'event-type': 'PaymentInitiated' }) },
      new Error('boom'),
    );
    expect(record.topic).toBe('payments.initiated.dlq');
    expect(record.message.headers).toMatchObject({
      [REPLAYS_HEADER]: '2',
      'event-type': 'PaymentInitiated',
      'dlq-source-topic': 'payments.initiated',
      'dlq-source-partition': '2',
      'dlq-source-offset': '7',
    });
  });

  it('when a record was never replayed, its dead letter has no replay count', () => {
    const record = deadLetterRecord({ groupId: 'g', topic: 'payments.initiated', partition: 0, message: message({}) }, new Error('boom'));
    expect(record.message.headers).not.toHaveProperty(REPLAYS_HEADER);
  });
});
