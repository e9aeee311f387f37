import { deadLetterTopic, TOPIC_NAMES, type Topics } from '../../contracts/index.js';
import { UsageError } from '../../lib/usage-error.js';
import type { OffsetRange, Selection } from './args.js';
import type { DeadLetter } from './dead-letter.js';

/**
 * The source topic `--topic` names: its key (paymentsInitiated), its name without the prefix
 * (payments.initiated), its full name, or its dead-letter topic's name. Throws a UsageError
 * listing the topics when it names none of them.
 */
export function resolveTopic(typed: string, topics: Topics): string {
  const bare = typed.endsWith('.dlq') ? typed.slice(0, -'.dlq'.length) : typed;
  for (const [key, name] of Object.entries(topics) as Array<[keyof Topics, string]>) {
    if (bare === key || bare === name || bare === TOPIC_NAMES[key]) return name;
  }
  throw new UsageError(`--topic ${typed} is not a payflow topic; use one of ${Object.values(TOPIC_NAMES).join(', ')}`);
}

/** The dead-letter topics to read for a selection: the one of --topic, or all of them. */
export function deadLetterTopicsFor(selection: Selection, topics: Topics): string[] {
  const sources = selection.topic === undefined ? Object.values(topics) : [resolveTopic(selection.topic, topics)];
  return sources.map(deadLetterTopic);
}

/** The dead letters that pass every filter of the selection, at most --limit of them, in the order given. */
export function select(deadLetters: DeadLetter[], selection: Selection, topics: Topics): DeadLetter[] {
  const source = selection.topic === undefined ? undefined : resolveTopic(selection.topic, topics);
  const selected = deadLetters.filter(
    (deadLetter) =>
      (source === undefined || deadLetter.topic === deadLetterTopic(source)) &&
      (selection.paymentId === undefined || deadLetter.key === selection.paymentId) &&
      (selection.errorCode === undefined || deadLetter.errorCode === selection.errorCode) &&
      (selection.offsets === undefined || inRange(deadLetter, selection.offsets)),
  );
  return selection.limit === undefined ? selected : selected.slice(0, selection.limit);
}

function inRange({ partition, offset }: DeadLetter, range: OffsetRange): boolean {
  return (
    (range.partition === undefined || partition === range.partition) &&
    (range.from === undefined || offset >= range.from) &&
    (range.to === undefined || offset <= range.to)
  );
}
