import { randomUUID } from 'node:crypto';
import type { PaymentEvent } from './events.js';

type Distribute<T> = T extends PaymentEvent ? Pick<T, 'type' | 'paymentId' | 'correlationId' | 'data'> : never;
export type NewEvent = Distribute<PaymentEvent>;

/** Fills in the envelope (event id, schema version, time) of a new event. */
export function newEvent<E extends NewEvent>(fields: E, now: Date = new Date()): E & PaymentEvent {
  return {
    ...fields,
    eventId: randomUUID(),
    schemaVersion: 1,
    occurredAt: now.toISOString(),
  } as E & PaymentEvent;
}
