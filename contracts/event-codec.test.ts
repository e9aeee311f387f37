import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, PoisonRecordError } from './event-codec.js';
import { newEvent } from './new-event.js';

const initiated = newEvent({
  type: 'PaymentInitiated',
  paymentId: randomUUID(),
  correlationId: 'req-1',
  data: { planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' }, paymentMethod: { token: 'pm_1' } },
});

describe('event codec', () => {
  it('round-trips an event, keyed by its paymentId with the type in a header', () => {
    const record = encodeEvent(initiated);
    expect(record.key).toBe(initiated.paymentId);
    expect(record.headers['event-type']).toBe('PaymentInitiated');
    expect(decodeEvent(Buffer.from(record.value))).toEqual(initiated);
  });

  it('fills the envelope: event id, schema version 1, time', () => {
    expect(initiated.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(initiated.schemaVersion).toBe(1);
    expect(Number.isNaN(Date.parse(initiated.occurredAt))).toBe(false);
  });

  it.each([
    ['an empty record', null],
    ['a record that is not JSON', Buffer.from('{nope')],
    ['an unknown event type', Buffer.from(JSON.stringify({ ...initiated, type: 'PaymentTeleported' }))],
    ['an event without a paymentId', Buffer.from(JSON.stringify({ ...initiated, paymentId: undefined }))],
    ['an event with a negative amount', Buffer.from(JSON.stringify({ ...initiated, data: { ...initiated.data, amount: { value: -1, currency: 'EUR' } } }))],
  ])('refuses %s as a poison record', (_name, value) => {
    expect(() => decodeEvent(value)).toThrow(PoisonRecordError);
  });

  it('a poison record stays poison: its error says retrying cannot help, so the consumer dead-letters it', () => {
    expect(new PoisonRecordError('record value is not JSON')).toMatchObject({ name: 'PoisonRecordError', code: 'POISON_RECORD', retryable: false });
  });
});
