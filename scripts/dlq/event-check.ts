import { decodeEvent, EVENT_TOPIC, PoisonRecordError, type Topics } from '../../contracts/index.js';
import type { DeadLetter } from './dead-letter.js';

/**
 * Why a dead letter's record is not an event its source topic may carry, or nothing when it is.
 * A consumer would dead-letter a value that does not decode again, and would handle an event of
 * another topic's type, or one keyed by another payment (out of order with that payment's own
 * events): a hand-made or damaged record must not reach the consumers through a replay. Decoded
 * with the same contracts the consumers use, so deploy a contract change before replaying.
 */
export function eventRefusal({ key, value, source }: DeadLetter, topics: Topics): string | undefined {
  let event;
  try {
    event = decodeEvent(value);
  } catch (err) {
    if (!(err instanceof PoisonRecordError)) throw err;
    return `its value is not a payment event (${oneLine(err.message)}); keep it as evidence of what its producer wrote`;
  }
  const home = topics[EVENT_TOPIC[event.type]];
  if (home !== source.topic) return `its event type ${event.type} belongs on ${home}, not on ${source.topic}`;
  if (key !== event.paymentId) return `its key ${key === null ? '(none)' : JSON.stringify(key)} is not its paymentId ${event.paymentId}`;
  return undefined;
}

/** zod's multi-line report, on one line and short enough for a line of output. */
function oneLine(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
