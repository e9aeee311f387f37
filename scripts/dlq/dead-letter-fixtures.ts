import type { KafkaMessage } from 'kafkajs';
import { newEvent, PLANS, type NewEvent } from '../../contracts/index.js';
import { deadLetterRecord } from '../../lib/dead-letter.js';
import type { TopicRecord } from './dead-letters.js';

/** The payment of the fixtures' records unless a test names another (unit tests only). */
export const FIXTURE_PAYMENT_ID = '0b7c3f1e-5d2a-4c8b-9e6f-1a2b3c4d5e6f';

/** A record value holding `fields` as a whole event (unit tests only). */
export function eventValue(fields: NewEvent): string {
  return JSON.stringify(newEvent(fields, new Date('2026-12-01T10:00:00Z')));
}

/** A valid PaymentInitiated of `paymentId`, as the BFF publishes it (unit tests only). */
export function initiatedValue(paymentId: string = FIXTURE_PAYMENT_ID): string {
  const plan = PLANS[0]!;
  return eventValue({
    type: 'PaymentInitiated',
    paymentId,
    correlationId: 'corr-1',
    data: { planId: plan.id, amount: plan.amount, customer: { email: 'ada@example.com' }, paymentMethod: { token: 'pm_card_ok' } },
  });
}

/** A record of a dead-letter topic as a consumer would have written it (unit tests only). */
export function deadLetterAt({
  topic = 'payments.initiated',
  partition = 0,
  offset = 0,
  key = FIXTURE_PAYMENT_ID,
  code = 'POISON_RECORD',
  group = 'payflow-billing-worker',
  headers = {},
  value = initiatedValue(),
}: {
  topic?: string;
  partition?: number;
  offset?: number;
  key?: string;
  code?: string;
  group?: string;
  headers?: Record<string, string>;
  value?: string;
} = {}): TopicRecord {
  const error = Object.assign(new Error(`failed: ${code}`), { code });
  const source: KafkaMessage = {
    key: Buffer.from(key),
    value: Buffer.from(value),
    headers: { 'event-type': 'PaymentInitiated', ...headers },
    offset: '41',
    timestamp: '0',
    attributes: 0,
  };
  const { topic: dlq, message } = deadLetterRecord({ groupId: group, topic, partition: 1, message: source }, error);
  const written: KafkaMessage = {
    key: Buffer.from(key),
    value: Buffer.from(value),
    headers: message.headers as Record<string, string>,
    offset: String(offset),
    timestamp: '1000',
    attributes: 0,
  };
  return { topic: dlq, partition, message: written };
}

/** A note of the replay of the dead letter at `partition:offset` (unit tests only). */
export function replayNoteAt(topic: string, of: string, offset: number): TopicRecord {
  return {
    topic,
    partition: 0,
    message: { key: null, value: null, headers: { 'dlq-replay-of': of }, offset: String(offset), timestamp: '5000', attributes: 0 },
  };
}
