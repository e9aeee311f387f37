import { z } from 'zod';
import { PaymentEvent } from './events.js';
import { PayflowError } from './payflow-error.js';

/** A Kafka record as kafkajs sends it: keyed by paymentId so each payment's events stay in order. */
export interface EncodedRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export function encodeEvent(event: PaymentEvent): EncodedRecord {
  return {
    key: event.paymentId,
    value: JSON.stringify(event),
    headers: { 'event-type': event.type, 'correlation-id': event.correlationId },
  };
}

/** Thrown for a record that can never be processed (not JSON, or not a known event). */
export class PoisonRecordError extends PayflowError<'POISON_RECORD'> {
  constructor(message: string) {
    super('POISON_RECORD', message, { retryable: false });
  }
}

export function decodeEvent(value: Buffer | string | null): PaymentEvent {
  if (value === null) throw new PoisonRecordError('record has no value');
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    throw new PoisonRecordError('record value is not JSON');
  }
  const parsed = PaymentEvent.safeParse(json);
  if (!parsed.success) {
    throw new PoisonRecordError(`record is not a valid payment event: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
