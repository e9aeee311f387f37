import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './event-routes.js';
import { EVENTS, PROCESSES, STATUS_NAMES, STATUSES, type EventSpec, type StatusName, type StatusSpec } from './lifecycle.js';
import { TOPIC_NAMES, type TopicKey } from './topics.js';

const spec = (type: (typeof EVENT_TYPES)[number]): EventSpec => EVENTS[type];

function reachableFrom(status: StatusName): Set<StatusName> {
  const seen = new Set<StatusName>([status]);
  for (const at of seen) for (const next of STATUSES[at].next) seen.add(next);
  return seen;
}

describe("the lifecycle's table", () => {
  it('moves every status only to a higher rank, so of two snapshots the later status is the newer', () => {
    const backwards = STATUS_NAMES.flatMap((from) =>
      STATUSES[from].next.filter((to) => STATUSES[to].rank <= STATUSES[from].rank).map((to) => `${from} → ${to}`),
    );
    expect(backwards).toEqual([]);
  });

  it('reaches every status from processing, and a terminal status from every status', () => {
    expect([...reachableFrom('processing')].sort()).toEqual([...STATUS_NAMES].sort());
    const endless = STATUS_NAMES.filter((status) => ![...reachableFrom(status)].some((reached) => STATUSES[reached].terminal));
    expect(endless).toEqual([]);
  });

  it('has an event for every move, and every event that moves a payment moves it somewhere it can go', () => {
    const moved = new Set(EVENT_TYPES.map((type) => spec(type).movesTo));
    const unexplained = STATUS_NAMES.flatMap((from) => STATUSES[from].next.filter((to) => !moved.has(to)).map((to) => `${from} → ${to}`));
    expect(unexplained).toEqual([]);
    const targets = new Set<StatusName>(STATUS_NAMES.flatMap((from) => STATUSES[from].next));
    expect(EVENT_TYPES.filter((type) => spec(type).movesTo !== null && !targets.has(spec(type).movesTo!))).toEqual([]);
  });

  it('has the events of one topic read by the same processes: a consumer group reads a whole topic, and has a handler for each event on it', () => {
    const readersByTopic = new Map<TopicKey, Set<string>>();
    for (const type of EVENT_TYPES) {
      const readers = [...spec(type).consumers].sort().join(',');
      readersByTopic.set(spec(type).topic, (readersByTopic.get(spec(type).topic) ?? new Set()).add(readers));
    }
    expect([...readersByTopic].filter(([, readers]) => readers.size > 1).map(([topic]) => topic)).toEqual([]);
  });

  it('has a producer and a consumer for every event, and an event on every topic', () => {
    expect(EVENT_TYPES.filter((type) => spec(type).producers.length === 0 || spec(type).consumers.length === 0)).toEqual([]);
    const used = new Set(EVENT_TYPES.map((type) => spec(type).topic));
    expect((Object.keys(TOPIC_NAMES) as TopicKey[]).filter((key) => !used.has(key))).toEqual([]);
    expect(PROCESSES.filter((process) => !EVENT_TYPES.some((type) => spec(type).producers.includes(process)))).toEqual([]);
  });

  it("names an operator's stage and a tone for every status, and marks bad news of a status an operator must act on", () => {
    const stage = (status: StatusName): StatusSpec['stage'] => STATUSES[status].stage;
    expect(STATUS_NAMES.filter((status) => stage(status).title.trim() === '' || stage(status).what.trim() === '')).toEqual([]);
    expect(STATUS_NAMES.filter((status) => STATUSES[status].operatorMustAct && STATUSES[status].tone !== 'bad')).toEqual([]);
  });
});
