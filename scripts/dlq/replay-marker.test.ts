import { describe, expect, it } from 'vitest';
import { deadLetterAt, replayNoteAt } from './dead-letter-fixtures.js';
import { deadLettersOf, type DeadLetter } from './dead-letters.js';
import { refusal, replayedRecord, replayNote, replaysOf } from './replay-marker.js';

const sourceTopics = ['payments.initiated', 'orders.failed'];
const only = (deadLetters: DeadLetter[]) => deadLetters[0]!;

describe('replaysOf', () => {
  it('when there is no marker, the record was never replayed', () => expect(replaysOf({})).toBe(0));
  it('when the marker is a count, it is that count', () => expect(replaysOf({ 'dlq-replays': '2' })).toBe(2));
  it('when the marker is not a count, it is unreadable', () => {
    for (const marker of ['', 'two', '-1', '1.5', '99999999']) expect(replaysOf({ 'dlq-replays': marker })).toBeNull();
  });
});

describe('replayedRecord', () => {
  it('when a dead letter is replayed, it goes to its source topic with its key and value, without dlq-* headers, marked as replay 1', () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ key: 'p-9', value: '{"a":1}', headers: { traceparent: 'tp' } })]));
    const { topic, message } = replayedRecord(deadLetter);
    expect(topic).toBe('payments.initiated');
    expect(message.key).toBe('p-9');
    expect(message.value).toBe('{"a":1}');
    expect(message.headers).toEqual({ 'event-type': 'PaymentInitiated', traceparent: 'tp', 'dlq-replays': '1' });
  });

  it('when a dead letter carries a marker, the replay counts one more', () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ headers: { 'dlq-replays': '2' } })]));
    expect(replayedRecord(deadLetter).message.headers).toMatchObject({ 'dlq-replays': '3' });
  });
});

describe('refusal', () => {
  it('when the record was replayed fewer times than allowed, it may be replayed', () => {
    expect(refusal(only(deadLettersOf([deadLetterAt({ headers: { 'dlq-replays': '2' } })])), { maxReplays: 3, sourceTopics })).toBeUndefined();
  });

  it('when the record was replayed as often as allowed, it is refused, saying why', () => {
    expect(refusal(only(deadLettersOf([deadLetterAt({ headers: { 'dlq-replays': '3' } })])), { maxReplays: 3, sourceTopics })).toMatch(/replayed 3 time\(s\) already.*--max-replays/);
  });

  it('when the marker is unreadable, it is refused rather than risk a loop', () => {
    expect(refusal(only(deadLettersOf([deadLetterAt({ headers: { 'dlq-replays': 'x' } })])), { maxReplays: 3, sourceTopics })).toMatch(/not a count/);
  });

  it('when this dead letter was replayed already, it is refused', () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ partition: 0, offset: 4 }), replayNoteAt('payments.initiated.dlq', '0:4', 9)]));
    expect(refusal(deadLetter, { maxReplays: 3, sourceTopics })).toMatch(/already replayed at 1970-01-01T00:00:05.000Z/);
  });

  it("when another dead letter's replay is noted, this one may still be replayed", () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ partition: 0, offset: 4 }), replayNoteAt('payments.initiated.dlq', '1:4', 9)]));
    expect(refusal(deadLetter, { maxReplays: 3, sourceTopics })).toBeUndefined();
  });

  it('when the source topic is not one of the deployment\'s topics, it is refused', () => {
    const deadLetter = only(deadLettersOf([deadLetterAt({ topic: 'other.payments.initiated' })]));
    expect(refusal(deadLetter, { maxReplays: 3, sourceTopics })).toMatch(/not one of this deployment's topics/);
  });
});

describe('replayNote', () => {
  it('when a dead letter is replayed, the note names its partition and offset, and is read back as its replay', () => {
    const record = deadLetterAt({ partition: 2, offset: 7 });
    const note = replayNote(only(deadLettersOf([record])), new Date('2026-12-01T10:00:00Z'));
    expect(note.topic).toBe('payments.initiated.dlq');
    expect(note.message.headers).toMatchObject({ 'dlq-replay-of': '2:7', 'dlq-replayed-at': '2026-12-01T10:00:00.000Z' });
    const readBack = deadLettersOf([record, { topic: note.topic, partition: 0, message: { key: null, value: null, headers: note.message.headers as Record<string, string>, offset: '8', timestamp: '6000', attributes: 0 } }]);
    expect(readBack).toHaveLength(1);
    expect(readBack[0]!.replayedAt).toBeDefined();
  });
});
