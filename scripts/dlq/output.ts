import type { DeadLetter } from './dead-letter.js';
import { maskedValue } from './mask.js';

/** Where a command writes: its records and summaries to `out`, progress and warnings to `err`. */
export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processOutput: Output = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

/** `topic/partition@offset`: where a record is, in one word. */
export function place(topic: string, partition: number | string | undefined, offset: number | string | undefined): string {
  return `${topic}/${partition ?? '?'}@${offset ?? '?'}`;
}

/** A dead letter as one JSON object (show --json): its place, headers, key and masked value. */
export function deadLetterJson(deadLetter: DeadLetter): Record<string, unknown> {
  const { topic, partition, offset, key, headers, eventType, replayedAt } = deadLetter;
  return {
    topic,
    partition,
    offset,
    key,
    eventType: eventType ?? null,
    headers,
    value: maskedValue(deadLetter.value),
    replayedAt: replayedAt?.toISOString() ?? null,
  };
}

/** A dead letter as text for a person (show). */
export function deadLetterText(deadLetter: DeadLetter): string {
  const { source, replays, replayedAt } = deadLetter;
  const value = maskedValue(deadLetter.value);
  const pretty = value === null ? '(empty)' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const rows: Array<[string, string]> = [
    ['source', `${place(source.topic ?? '(unknown)', source.partition, source.offset)}${deadLetter.group === undefined ? '' : `, group ${deadLetter.group}`}`],
    ['error', `${deadLetter.errorCode}: ${deadLetter.error ?? '(no message)'}`],
    ['failed at', deadLetter.failedAt.toISOString()],
    ['key', deadLetter.key ?? '(none)'],
    ['event type', deadLetter.eventType ?? '(none)'],
    [
      'replays',
      `${replays ?? 'unreadable marker'} before this${replayedAt === undefined ? '; not replayed from here' : `; replayed from here at ${replayedAt.toISOString()}`}`,
    ],
    ['value', indent(pretty, 14)],
  ];
  return [`${place(deadLetter.topic, deadLetter.partition, deadLetter.offset)}`, ...rows.map(([name, text]) => `  ${name.padEnd(11)} ${text}`)].join('\n');
}

function indent(text: string, width: number): string {
  return text.split('\n').join(`\n${' '.repeat(width)}`);
}
