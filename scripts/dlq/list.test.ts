import { describe, expect, it } from 'vitest';
import { deadLetterAt, replayNoteAt } from './dead-letter-fixtures.js';
import { deadLettersOf } from './dead-letters.js';
import { summarize } from './list.js';

describe('summarize', () => {
  it('when a topic has dead letters, it counts them, their codes and replays, and gives the oldest and newest failure', () => {
    const deadLetters = deadLettersOf([
      deadLetterAt({ offset: 0, code: 'POISON_RECORD' }),
      deadLetterAt({ offset: 1, code: 'UNEXPECTED_EVENT' }),
      deadLetterAt({ offset: 2, code: 'POISON_RECORD' }),
      replayNoteAt('payments.initiated.dlq', '0:1', 3),
    ]);
    // Failed on three days; deadLetterRecord stamps them all with now.
    deadLetters.forEach((deadLetter, index) => (deadLetter.failedAt = new Date(`2026-12-0${3 - index}T00:00:00.000Z`)));
    const [summary, empty] = summarize(['payments.initiated.dlq', 'orders.failed.dlq'], deadLetters);
    expect(summary).toEqual({
      topic: 'payments.initiated.dlq',
      records: 3,
      replayed: 1,
      oldest: '2026-12-01T00:00:00.000Z',
      newest: '2026-12-03T00:00:00.000Z',
      errorCodes: { POISON_RECORD: 2, UNEXPECTED_EVENT: 1 },
    });
    expect(empty).toEqual({ topic: 'orders.failed.dlq', records: 0, replayed: 0, oldest: null, newest: null, errorCodes: {} });
  });

  it('when dlq-failed-at is missing, the record timestamp is the failure time', () => {
    const record = deadLetterAt();
    delete (record.message.headers as Record<string, string>)['dlq-failed-at'];
    expect(deadLettersOf([record])[0]!.failedAt.toISOString()).toBe('1970-01-01T00:00:01.000Z');
  });
});
