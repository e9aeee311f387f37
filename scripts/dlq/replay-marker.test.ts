import { describe, expect, it } from 'vitest';
import { topicsWithPrefix } from '../../contracts/index.js';
import { deadLetterAt, replayNoteAt } from './dead-letter-fixtures.js';
import type { DeadLetter } from './dead-letter.js';
import { deadLettersOf } from './dead-letters.js';
import { refusal, replayedRecord, replayNote, replaysOf } from './replay-marker.js';

const topics = topicsWithPrefix('');
const only = (deadLetters: DeadLetter[]) => deadLetters[0]!;

describe('replaysOf', () => {
  it('when there is no marker, the record was never replayed', () => expect(replaysOf({})).toBe(0));
  it('when the marker is a count, it is that count', () => expect(replaysOf({ 'dlq-replays': '2' })).toBe(2));
  it('when the marker is not a count, it is unreadable', () => {
    for (const marker of ['', 'two', '-1', '1.5', '99999999']) expect(replaysOf({ 'dlq-replays': marker })).toBeNull();
  });
});

describe('replayedRecord', () => {
  it('when a dead letter is replayed, it goes to its source topic with its key and value, without dlq-* headers, marked as replay 1 for the group that failed it', () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ key: 'p-9', value: '{"a":1}', group: 'payflow-bff-status', headers: { traceparent: 'tp' } })]));
    const { topic, message } = replayedRecord(deadLetter);
    expect(topic).toBe('payments.initiated');
    expect(message.key).toBe('p-9');
    expect(message.value).toBe('{"a":1}');
    expect(message.headers).toEqual({ 'event-type': 'PaymentInitiated', traceparent: 'tp', 'dlq-replays': '1', 'dlq-replay-group': 'payflow-bff-status' });
  });

  it('when a replay that failed again is replayed, it is meant for the group that failed it this time', () => {
    const deadLetter = only(
      deadLettersOf([deadLetterAt({ group: 'payflow-order-worker', headers: { 'dlq-replays': '1', 'dlq-replay-group': 'payflow-bff-status' } })]),
    );
    expect(replayedRecord(deadLetter).message.headers).toMatchObject({ 'dlq-replays': '2', 'dlq-replay-group': 'payflow-order-worker' });
  });

  it('when a dead letter carries a marker, the replay counts one more', () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ headers: { 'dlq-replays': '2' } })]));
    expect(replayedRecord(deadLetter).message.headers).toMatchObject({ 'dlq-replays': '3' });
  });
});

describe('refusal', () => {
  it('when the record was replayed fewer times than allowed, it may be replayed', () => {
    expect(refusal(only(deadLettersOf([deadLetterAt({ headers: { 'dlq-replays': '2' } })])), { maxReplays: 3, topics })).toBeUndefined();
  });

  it('when the record was replayed as often as allowed, it is refused, saying why', () => {
    expect(refusal(only(deadLettersOf([deadLetterAt({ headers: { 'dlq-replays': '3' } })])), { maxReplays: 3, topics })).toMatch(
      /replayed 3 time\(s\) already.*--max-replays/,
    );
  });

  it('when the marker is unreadable, it is refused rather than risk a loop', () => {
    expect(refusal(only(deadLettersOf([deadLetterAt({ headers: { 'dlq-replays': 'x' } })])), { maxReplays: 3, topics })).toMatch(/not a count/);
  });

  it('when this dead letter was replayed already, it is refused', () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ partition: 0, offset: 4 }), replayNoteAt('payments.initiated.dlq', '0:4', 9)]));
    expect(refusal(deadLetter, { maxReplays: 3, topics })).toMatch(/already replayed at 1970-01-01T00:00:05.000Z/);
  });

  it("when another dead letter's replay is noted, this one may still be replayed", () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ partition: 0, offset: 4 }), replayNoteAt('payments.initiated.dlq', '1:4', 9)]));
    expect(refusal(deadLetter, { maxReplays: 3, topics })).toBeUndefined();
  });

  it("when the source topic is not one of the deployment's topics, it is refused", () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ topic: 'other.payments.initiated' })]));
    expect(refusal(deadLetter, { maxReplays: 3, topics })).toMatch(/not one of this deployment's topics/);
  });

  it('when the consumer group that failed it is unknown, it is refused rather than sent to every group', () => {
    const record = deadLetterAt();
    delete (record.message.headers as Record<string, string>)['dlq-consumer-group'];
    expect(refusal(only(deadLettersOf([record])), { maxReplays: 3, topics })).toMatch(/no dlq-consumer-group header/);
  });

  it('when its value is not an event of its topic keyed by its paymentId, it is refused, saying which', () => {
    expect(refusal(only(deadLettersOf([deadLetterAt({ value: '{not json' })])), { maxReplays: 3, topics })).toMatch(
      /not a payment event \(record value is not JSON\)/,
    );
  });
});

describe('replayNote', () => {
  it('when a dead letter is replayed, the note names its partition and offset, and is read back as its replay', () => {
    const record = deadLetterAt({ partition: 2, offset: 7 });
    const note = replayNote(only(deadLettersOf([record])), new Date('2026-12-01T10:00:00Z'));
    expect(note.topic).toBe('payments.initiated.dlq');
    expect(note.message.headers).toMatchObject({ 'dlq-replay-of': '2:7', 'dlq-replayed-at': '2026-12-01T10:00:00.000Z' });
    const readBack = deadLettersOf([
      record,
      {
        topic: note.topic,
        partition: 0,
        message: { key: null, value: null, headers: note.message.headers as Record<string, string>, offset: '8', timestamp: '6000', attributes: 0 },
      },
    ]);
    expect(readBack).toHaveLength(1);
    expect(readBack[0]!.replayedAt).toBeDefined();
  });
});
