import type { Admin, Kafka } from 'kafkajs';
import type { Topics } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import type { Selection } from './args.js';
import type { DeadLetter } from './dead-letter.js';
import { deadLettersOf } from './dead-letters.js';
import { deadLetterTopicsFor, select } from './filters.js';
import type { Output } from './output.js';
import { readTopics } from './read-topics.js';

/** What every command works with: a connected admin, this deployment's topics, and where to write. */
export interface DlqContext {
  kafka: Kafka;
  admin: Admin;
  topics: Topics;
  output: Output;
  logger: Logger;
}

/** Reads the dead-letter topics the selection needs and returns the dead letters it selects. */
export async function selectedDeadLetters(context: DlqContext, selection: Selection): Promise<DeadLetter[]> {
  const records = await readTopics(context.kafka, context.admin, deadLetterTopicsFor(selection, context.topics), {
    warn: context.output.err,
    onRecord: readProgress(context.output),
  });
  return select(deadLettersOf(records), selection, context.topics);
}

/** "read 20000/45000 records …" every 10,000 records, for reads long enough to wonder about. */
function readProgress(output: Output): (read: number, total: number) => void {
  return (read, total) => {
    if (read % 10_000 === 0) output.err(`read ${read}/${total} records …`);
  };
}
