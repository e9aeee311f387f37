import type { Selection } from './args.js';
import { selectedDeadLetters, type DlqContext } from './context.js';
import type { DeadLetter } from './dead-letter.js';
import { deadLetterTopicsFor } from './filters.js';

/** What `list` says of one dead-letter topic. */
export interface TopicSummary {
  topic: string;
  records: number;
  /** Of those, the ones already replayed. */
  replayed: number;
  oldest: string | null;
  newest: string | null;
  /** Error code → records, most frequent first. */
  errorCodes: Record<string, number>;
}

/** One summary per dead-letter topic, in the order given, empty topics included. */
export function summarize(topics: string[], deadLetters: DeadLetter[]): TopicSummary[] {
  return topics.map((topic) => {
    const mine = deadLetters.filter((deadLetter) => deadLetter.topic === topic);
    const times = mine.map((deadLetter) => deadLetter.failedAt.getTime()).sort((a, b) => a - b);
    const codes = new Map<string, number>();
    for (const { errorCode } of mine) codes.set(errorCode, (codes.get(errorCode) ?? 0) + 1);
    return {
      topic,
      records: mine.length,
      replayed: mine.filter((deadLetter) => deadLetter.replayedAt !== undefined).length,
      oldest: times.length === 0 ? null : new Date(times[0]!).toISOString(),
      newest: times.length === 0 ? null : new Date(times.at(-1)!).toISOString(),
      errorCodes: Object.fromEntries([...codes].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))),
    };
  });
}

/** `list`: per dead-letter topic, its records, oldest and newest, and error codes with counts. */
export async function list(context: DlqContext, selection: Selection, json: boolean): Promise<void> {
  const summaries = summarize(deadLetterTopicsFor(selection, context.topics), await selectedDeadLetters(context, selection));
  if (json) {
    for (const summary of summaries) context.output.out(JSON.stringify(summary));
    return;
  }
  const width = Math.max(...summaries.map(({ topic }) => topic.length), 'DEAD-LETTER TOPIC'.length);
  const time = (iso: string | null) => (iso ?? '-').padEnd(24);
  context.output.out(`${'DEAD-LETTER TOPIC'.padEnd(width)}  RECORDS  REPLAYED  ${'OLDEST'.padEnd(24)}  ${'NEWEST'.padEnd(24)}  ERROR CODES`);
  for (const { topic, records, replayed, oldest, newest, errorCodes } of summaries) {
    const codes = Object.entries(errorCodes)
      .map(([code, count]) => `${code} ${count}`)
      .join(', ');
    context.output.out(
      `${topic.padEnd(width)}  ${String(records).padStart(7)}  ${String(replayed).padStart(8)}  ${time(oldest)}  ${time(newest)}  ${codes || '-'}`.trimEnd(),
    );
  }
}
