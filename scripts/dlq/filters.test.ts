import { describe, expect, it } from 'vitest';
import { topicsWithPrefix } from '../../contracts/index.js';
import { UsageError } from '../../lib/usage-error.js';
import { deadLetterAt } from './dead-letter-fixtures.js';
import { deadLettersOf } from './dead-letters.js';
import { deadLetterTopicsFor, resolveTopic, select } from './filters.js';

const topics = topicsWithPrefix('t1.');

describe('resolveTopic', () => {
  it.each(['paymentsInitiated', 'payments.initiated', 't1.payments.initiated', 't1.payments.initiated.dlq', 'payments.initiated.dlq'])(
    'when --topic is %s, it is t1.payments.initiated',
    (typed) => {
      expect(resolveTopic(typed, topics)).toBe('t1.payments.initiated');
    },
  );

  it('when --topic names no payflow topic, the error lists the topics', () => {
    expect(() => resolveTopic('payments.nope', topics)).toThrow(UsageError);
    expect(() => resolveTopic('payments.nope', topics)).toThrow(/payments\.initiated, payments\.succeeded/);
  });
});

describe('deadLetterTopicsFor', () => {
  it('when no topic is given, every dead-letter topic is read', () => {
    expect(deadLetterTopicsFor({}, topics)).toEqual(Object.values(topics).map((name) => `${name}.dlq`));
  });

  it('when a topic is given, only its dead-letter topic is read', () => {
    expect(deadLetterTopicsFor({ topic: 'ordersFailed' }, topics)).toEqual(['t1.orders.failed.dlq']);
  });
});

describe('select', () => {
  const all = deadLettersOf([
    deadLetterAt({ topic: 't1.payments.initiated', partition: 0, offset: 0, key: 'a', code: 'POISON_RECORD' }),
    deadLetterAt({ topic: 't1.payments.initiated', partition: 0, offset: 1, key: 'b', code: 'UNEXPECTED_EVENT' }),
    deadLetterAt({ topic: 't1.payments.initiated', partition: 1, offset: 0, key: 'a', code: 'POISON_RECORD' }),
    deadLetterAt({ topic: 't1.orders.failed', partition: 0, offset: 5, key: 'c', code: 'POISON_RECORD' }),
  ]);
  const places = (selection: Parameters<typeof select>[1]) =>
    select(all, selection, topics).map(({ topic, partition, offset }) => `${topic}/${partition}@${offset}`);

  it('when nothing is asked, every dead letter is selected, by topic, partition and offset', () => {
    expect(places({})).toEqual(['t1.orders.failed.dlq/0@5', 't1.payments.initiated.dlq/0@0', 't1.payments.initiated.dlq/0@1', 't1.payments.initiated.dlq/1@0']);
  });

  it('when a paymentId is asked, only its records are selected', () => {
    expect(places({ paymentId: 'a' })).toEqual(['t1.payments.initiated.dlq/0@0', 't1.payments.initiated.dlq/1@0']);
  });

  it('when an error code and a topic are asked, both must hold', () => {
    expect(places({ errorCode: 'POISON_RECORD', topic: 'payments.initiated' })).toEqual(['t1.payments.initiated.dlq/0@0', 't1.payments.initiated.dlq/1@0']);
  });

  it('when an offset range has no partition, it applies to every partition', () => {
    expect(places({ topic: 'payments.initiated', offsets: { from: 1 } })).toEqual(['t1.payments.initiated.dlq/0@1']);
    expect(places({ topic: 'payments.initiated', offsets: { to: 0 } })).toEqual(['t1.payments.initiated.dlq/0@0', 't1.payments.initiated.dlq/1@0']);
  });

  it('when an offset range names a partition, other partitions are left out', () => {
    expect(places({ offsets: { partition: 1, from: 0, to: 0 } })).toEqual(['t1.payments.initiated.dlq/1@0']);
  });

  it('when a limit is given, the first records after the other filters are kept', () => {
    expect(places({ errorCode: 'POISON_RECORD', limit: 2 })).toEqual(['t1.orders.failed.dlq/0@5', 't1.payments.initiated.dlq/0@0']);
  });
});
