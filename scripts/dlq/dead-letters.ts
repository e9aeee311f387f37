import type { KafkaMessage } from 'kafkajs';
import { REPLAY_OF_HEADER, textHeaders } from '../../lib/dead-letter.js';
import type { DeadLetter } from './dead-letter.js';
import { replaysOf } from './replay-marker.js';

/** One record as read from a dead-letter topic. */
export interface TopicRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** A note a replay appended to a dead-letter topic: `partition:offset` of the dead letter it replayed. */
interface ReplayNote {
  topic: string;
  of: string;
  at: Date;
}

/** The dead letters of what was read, in topic, partition and offset order, each with its replay if one was noted. */
export function deadLettersOf(records: TopicRecord[]): DeadLetter[] {
  const notes = new Map<string, ReplayNote>();
  const deadLetters: DeadLetter[] = [];
  for (const record of records) {
    const headers = textHeaders(record.message.headers);
    const of = headers[REPLAY_OF_HEADER];
    if (of !== undefined) notes.set(`${record.topic}|${of}`, { topic: record.topic, of, at: timestampOf(record.message) });
    else deadLetters.push(deadLetterOf(record, headers));
  }
  for (const deadLetter of deadLetters) {
    const note = notes.get(`${deadLetter.topic}|${deadLetter.partition}:${deadLetter.offset}`);
    if (note !== undefined) deadLetter.replayedAt = note.at;
  }
  return deadLetters.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset);
}

function deadLetterOf({ topic, partition, message }: TopicRecord, headers: Record<string, string>): DeadLetter {
  const failedAt = new Date(headers['dlq-failed-at'] ?? Number.NaN);
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key?.toString() ?? null,
    value: message.value === null || message.value.length === 0 ? null : message.value.toString(),
    headers,
    source: { topic: headers['dlq-source-topic'], partition: headers['dlq-source-partition'], offset: headers['dlq-source-offset'] },
    group: headers['dlq-consumer-group'],
    errorCode: headers['dlq-error-code'] ?? 'UNKNOWN',
    error: headers['dlq-error'],
    failedAt: Number.isNaN(failedAt.getTime()) ? timestampOf(message) : failedAt,
    eventType: headers['event-type'],
    replays: replaysOf(headers),
  };
}

function timestampOf(message: KafkaMessage): Date {
  return new Date(Number(message.timestamp));
}
