/**
 * Where each event goes, derived from the lifecycle's table (lifecycle.ts): the topic it is
 * published to, and the topics each process's consumer group reads.
 */
import type { PaymentEventType } from './events.js';
import { EVENTS, STATUSES, type EventSpec, type Process } from './lifecycle.js';
import type { TopicKey, Topics } from './topics.js';

/** Every event type, in the table's order. */
export const EVENT_TYPES = Object.keys(EVENTS) as PaymentEventType[];

/** The topic each event type is published to. */
export const EVENT_TOPIC: Readonly<Record<PaymentEventType, TopicKey>> = Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENTS[type].topic])) as Record<
  PaymentEventType,
  TopicKey
>;

/** The topics a process's consumer group reads: those of the events it acts on, each once, in the table's order. */
export function topicsReadBy(process: Process, topics: Topics): string[] {
  const keys = EVENT_TYPES.map((type): EventSpec => EVENTS[type])
    .filter((spec) => spec.consumers.includes(process))
    .map((spec) => topics[spec.topic]);
  return [...new Set(keys)];
}

/** The event types that end a payment for the shopper: those that move it to a terminal status. */
export const TERMINAL_EVENTS: readonly PaymentEventType[] = EVENT_TYPES.filter((type) => {
  const status = (EVENTS[type] as EventSpec).movesTo;
  return status !== null && STATUSES[status].terminal;
});
