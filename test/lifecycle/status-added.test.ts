/**
 * A status and an event added to the lifecycle's table, and nothing else changed: each place that
 * lists statuses or events picks them up. The table is swapped for one with a `disputed` status
 * (terminal, bad news, an operator must act) reached by a `PaymentDisputed` event on a topic of its
 * own, read by the BFF; every module below is then loaded from that table.
 */
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import type * as Lifecycle from '../../contracts/lifecycle.js';
import type * as TopicNames from '../../contracts/topics.js';

vi.mock('../../contracts/topics.js', async (importOriginal) => {
  const real = await importOriginal<typeof TopicNames>();
  const TOPIC_NAMES = { ...real.TOPIC_NAMES, paymentsDisputed: 'payments.disputed' };
  // Built again from the names above, as the real one is from the real names.
  const topicsWithPrefix = (prefix: string) => Object.fromEntries(Object.entries(TOPIC_NAMES).map(([key, name]) => [key, `${prefix}${name}`]));
  return { ...real, TOPIC_NAMES, topicsWithPrefix };
});

vi.mock('../../contracts/lifecycle.js', async (importOriginal) => {
  const real = await importOriginal<typeof Lifecycle>();
  const { processing, paid } = real.STATUSES;
  const STATUS_NAMES = [...real.STATUS_NAMES, 'disputed'];
  return {
    ...real,
    STATUS_NAMES,
    STATUSES: {
      ...real.STATUSES,
      processing: { ...processing, next: [...processing.next, 'disputed'] },
      paid: { ...paid, next: [...paid.next, 'disputed'] },
      disputed: {
        rank: 5,
        terminal: true,
        next: [],
        stage: { title: 'Disputed', what: 'The card holder disputed the charge.', color: '--danger' },
        tone: 'bad',
        operatorMustAct: true,
      },
    },
    EVENTS: {
      ...real.EVENTS,
      PaymentDisputed: { kind: 'outcome', topic: 'paymentsDisputed', producers: ['billing-worker'], consumers: ['bff'], movesTo: 'disputed' },
    },
    // Built again from the names above, as the real one is from the real names.
    perStatus: <T>(value: (status: string) => T) => Object.fromEntries(STATUS_NAMES.map((status) => [status, value(status)])),
  };
});

// Loaded after the mocks, from the table with `disputed` in it.
const contracts = await import('../../contracts/index.js');
const { NEXT } = await import('../../server/status/project-snapshot.js');
const { statusTopics } = await import('../../server/status/status-consumer.js');
const { registerUnfinishedGauges } = await import('../../server/history/unfinished-gauges.js');
const { boardStages, badgeClasses } = await import('../../web/src/ops/status-look.js');
const { entryWords } = await import('../../web/src/ops/lookup-words.js');
const { BoardState } = await import('../../web/src/ops/board-state.js');
const { stateDiagram, eventsTable, terminalWords } = await import('../../scripts/docs/lifecycle-docs.js');

const disputed = 'disputed' as never;
const paymentId = '5b0a2a6e-0a5c-4c43-9c0e-8f4b5c1e2d3f';

describe("a status and an event added to the lifecycle's table", () => {
  it('is a status the contracts accept, on the wire and in the snapshot order', () => {
    expect(contracts.PaymentStatusName.options).toContain('disputed');
    expect(contracts.PaymentSnapshot.safeParse({ paymentId, status: 'disputed', seq: 3, updatedAt: '2026-01-01T00:00:00.000Z' }).success).toBe(true);
    expect(contracts.STATUS_RANK[disputed]).toBe(5);
    expect(contracts.isNewerSnapshot({ status: disputed, seq: 0 }, { status: 'confirmed', seq: 9 })).toBe(true);
  });

  it("is terminal where the terminal set is used: the shopper's page, the charts' outcomes, the alerts' words", () => {
    expect(contracts.TERMINAL_STATUSES).toContain('disputed');
    expect(contracts.isTerminal(disputed)).toBe(true);
    expect(contracts.OPS_OUTCOMES).toContain('disputed');
    expect(contracts.emptyBucket(0).outcomes).toHaveProperty('disputed', 0);
    expect(contracts.seriesContribution({ paymentId, from: 'paid', to: disputed, at: '2026-01-01T00:00:05.000Z' })).toEqual({
      start: 1767225600,
      outcome: 'disputed',
    });
    expect(terminalWords()).toBe('confirmed, failed, refunded, refund_failed or disputed');
  });

  it('is a move the projection allows', () => {
    expect(NEXT.processing).toContain('disputed');
    expect(NEXT.paid).toContain('disputed');
    expect(NEXT[disputed]).toEqual([]);
  });

  it('routes the event: its topic, the BFF reading it, and the events that end a payment', () => {
    const topics = contracts.topicsWithPrefix('');
    expect(contracts.EVENT_TOPIC['PaymentDisputed' as never]).toBe('paymentsDisputed');
    expect(statusTopics(topics)).toContain('payments.disputed');
    expect(contracts.topicsReadBy('billing-worker', topics)).not.toContain('payments.disputed');
    expect(contracts.allTopicNames(topics)).toEqual(expect.arrayContaining(['payments.disputed', 'payments.disputed.dlq']));
    expect(contracts.TERMINAL_EVENTS).toContain('PaymentDisputed');
  });

  it('has a stage on the live view, marked for an operator, a badge, a tone in the lookup, and a count on the board', () => {
    expect(boardStages().otherEnds).toContainEqual({
      status: 'disputed',
      title: 'Disputed',
      what: 'The card holder disputed the charge.',
      classes: ['stage', 'terminal', 'tone-bad', 'must-act'],
    });
    expect(badgeClasses(disputed)).toBe('badge tone-bad must-act');
    expect(entryWords({ kind: 'status', at: '2026-01-01T00:00:00.000Z', from: 'paid', to: disputed }).tone).toBe('bad');
    expect(new BoardState().counts).toHaveProperty('disputed', 0);
  });

  it("is in the unfinished-payments metric's words, the state diagram and the table of events", async () => {
    const registry = new Registry();
    registerUnfinishedGauges(
      registry,
      { unfinished: () => Promise.resolve({ count: 0, oldestAcceptedAtMs: null }) } as never,
      { debug: () => undefined } as never,
    );
    expect((await registry.getMetricsAsJSON()).find((metric) => metric.name === 'payflow_payments_unfinished')?.help).toContain('refund_failed, disputed');
    expect(stateDiagram()).toContain('paid --> disputed: PaymentDisputed');
    expect(stateDiagram()).toContain('class disputed act');
    expect(eventsTable()).toContain('| PaymentDisputed | outcome | payments.disputed | billing worker | BFF | `disputed` |');
  });
});
