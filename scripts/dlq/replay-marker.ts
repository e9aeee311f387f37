import type { Topics } from '../../contracts/index.js';
import { REPLAY_GROUP_HEADER, REPLAY_OF_HEADER, REPLAYS_HEADER } from '../../lib/dead-letter.js';
import type { OutgoingRecord } from '../../lib/event-publisher.js';
import type { DeadLetter } from './dead-letter.js';
import { eventRefusal } from './event-check.js';

/**
 * How many times the record was replayed before (its `dlq-replays` header): 0 without one, null
 * when it cannot be read, which replay treats as "too many" rather than risk a loop.
 */
export function replaysOf(headers: Record<string, string>): number | null {
  const marker = headers[REPLAYS_HEADER];
  if (marker === undefined) return 0;
  return /^\d{1,6}$/.test(marker) ? Number(marker) : null;
}

/** Why a dead letter is not replayed, or nothing when it may be. */
export function refusal(deadLetter: DeadLetter, { maxReplays, topics }: { maxReplays: number; topics: Topics }): string | undefined {
  const { replays, replayedAt, source } = deadLetter;
  if (replayedAt !== undefined) return `already replayed at ${replayedAt.toISOString()}; a replay that failed again is a new dead letter`;
  if (replays === null) return `its ${REPLAYS_HEADER} header is not a count (${JSON.stringify(deadLetter.headers[REPLAYS_HEADER])})`;
  if (replays >= maxReplays)
    return `replayed ${replays} time(s) already, the most --max-replays allows (${maxReplays}); fix the cause, then raise --max-replays`;
  if (source.topic === undefined) return 'it has no dlq-source-topic header, so where it came from is unknown';
  if (!Object.values(topics).includes(source.topic)) return `its source topic ${source.topic} is not one of this deployment's topics (KAFKA_TOPIC_PREFIX)`;
  // Sent to the topic with no group named, it would run again in every group that already handled it.
  if (deadLetter.group === undefined) return 'it has no dlq-consumer-group header, so which consumer group failed it is unknown';
  return eventRefusal(deadLetter, topics);
}

/**
 * The record to publish again: the dead letter's key and value, its headers without the `dlq-*`
 * ones, its replay count one higher, so that a replay that fails again is dead-lettered with it,
 * and the consumer group that failed it, the only group that handles it (every other group of the
 * topic handled it the first time and passes it over).
 */
export function replayedRecord(deadLetter: DeadLetter): OutgoingRecord {
  const headers = Object.fromEntries(Object.entries(deadLetter.headers).filter(([name]) => !name.startsWith('dlq-')));
  return {
    topic: deadLetter.source.topic!,
    message: {
      key: deadLetter.key,
      value: deadLetter.value,
      headers: { ...headers, [REPLAYS_HEADER]: String((deadLetter.replays ?? 0) + 1), [REPLAY_GROUP_HEADER]: deadLetter.group! },
    },
  };
}

/** The note appended to the dead-letter topic, so that the same dead letter is never replayed twice. */
export function replayNote(deadLetter: DeadLetter, at: Date): OutgoingRecord {
  return {
    topic: deadLetter.topic,
    message: {
      key: deadLetter.key,
      value: null,
      headers: {
        [REPLAY_OF_HEADER]: `${deadLetter.partition}:${deadLetter.offset}`,
        'dlq-replayed-at': at.toISOString(),
        'dlq-replayed-to': deadLetter.source.topic ?? '',
        'dlq-replayed-for': deadLetter.group ?? '',
      },
    },
  };
}
