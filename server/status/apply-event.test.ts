import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type NewEvent, type PaymentEvent, type PaymentSnapshot, type PaymentStatusName } from '../../contracts/index.js';
import type { Replaced } from '../payments/payment-store.js';
import type { StoredSnapshot } from '../payments/stored-snapshot.js';
import { applyEvent, type SnapshotStore } from './apply-event.js';

const landing = 'http://127.0.0.1:4003/sso';
const reason = { code: 'ORDER_FAILED', message: 'The order could not be completed.' };

/** PaymentStore's contract over a Map: what Redis holds, what the replica remembers, and the round trips. */
class StoreOfOne implements SnapshotStore {
  redis: string | null = null;
  remembered: StoredSnapshot | undefined;
  readonly roundTrips: string[] = [];

  recentlyStored(): StoredSnapshot | undefined {
    return this.remembered;
  }

  stored(): Promise<StoredSnapshot | null> {
    this.roundTrips.push('read');
    return Promise.resolve(this.answered());
  }

  replace(expected: StoredSnapshot | null, next: PaymentSnapshot): Promise<Replaced> {
    this.roundTrips.push('replace');
    if (this.redis !== (expected?.text ?? null)) return Promise.resolve({ written: false, current: this.answered() });
    this.redis = JSON.stringify(next);
    this.remembered = { snapshot: next, text: this.redis };
    return Promise.resolve({ written: true });
  }

  get snapshot(): PaymentSnapshot | null {
    return this.redis === null ? null : (JSON.parse(this.redis) as PaymentSnapshot);
  }

  private answered(): StoredSnapshot | null {
    this.remembered = this.redis === null ? undefined : { snapshot: JSON.parse(this.redis) as PaymentSnapshot, text: this.redis };
    return this.remembered ?? null;
  }
}

function scenario() {
  const paymentId = randomUUID();
  const at = (second: number) => `2026-01-01T00:00:0${second}.000Z`;
  const snapshot = (status: PaymentStatusName, seq: number, second = seq): PaymentSnapshot => ({
    paymentId,
    status,
    seq,
    updatedAt: at(second),
    acceptedAt: at(0),
  });
  const stored = (snapshot: PaymentSnapshot): StoredSnapshot => ({ snapshot, text: JSON.stringify(snapshot) });
  const ev = (fields: Omit<NewEvent, 'paymentId' | 'correlationId'>): PaymentEvent => newEvent({ ...fields, paymentId, correlationId: 'c1' } as NewEvent);
  const events = {
    succeeded: ev({
      type: 'PaymentSucceeded',
      data: { chargeId: 'ch_1', planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' } },
    }),
    confirmed: ev({ type: 'OrderConfirmed', data: { orderId: 'o_1', encryptedSsoToken: 'sealed', ssoTokenExpiresAt: at(9) } }),
    refunded: ev({ type: 'PaymentRefunded', data: { chargeId: 'ch_1', refundId: 'r_1', reason } }),
  };
  return { snapshot, stored, events, store: new StoreOfOne() };
}

describe('applyEvent', () => {
  it('from the snapshot this replica stored at the 202, an event is one compare-and-set, with no read before it', async () => {
    const { snapshot, stored, events, store } = scenario();
    store.remembered = stored(snapshot('processing', 0));
    store.redis = store.remembered.text;

    const applied = await applyEvent(store, events.succeeded, landing);

    expect(applied.change).toMatchObject({ from: 'processing', snapshot: { status: 'paid', seq: 1 } });
    expect(applied.current).toEqual(applied.change?.snapshot);
    expect(store.snapshot).toEqual(applied.change?.snapshot);
    expect(store.roundTrips).toEqual(['replace']);
  });

  it('from a remembered snapshot another replica has moved on since, it writes nothing, then projects once more from what Redis answered', async () => {
    const { snapshot, stored, events, store } = scenario();
    store.remembered = stored(snapshot('processing', 0));
    store.redis = JSON.stringify(snapshot('paid', 1));

    const applied = await applyEvent(store, events.confirmed, landing);

    expect(applied.change).toMatchObject({ from: 'paid', snapshot: { status: 'confirmed', seq: 2, acceptedAt: snapshot('paid', 1).acceptedAt } });
    expect(store.snapshot).toEqual(applied.change?.snapshot);
    expect(store.roundTrips).toEqual(['replace', 'replace']);
  });

  it('a remembered snapshot of the same seq as the stored one but another story (Redis lost it, and it was started again) cannot move the stored one backwards', async () => {
    const { snapshot, stored, events, store } = scenario();
    // Remembered before the loss: paid at seq 1. Stored since: confirmed at seq 1, rebuilt from processing.
    store.remembered = stored(snapshot('paid', 1));
    const rebuilt = snapshot('confirmed', 1, 5);
    store.redis = JSON.stringify(rebuilt);

    const applied = await applyEvent(store, events.refunded, landing);

    expect(applied).toEqual({ change: null, current: rebuilt });
    expect(store.snapshot).toEqual(rebuilt);
  });

  it('when the remembered snapshot already shows the event, Redis is asked before "nothing changed" is answered: a snapshot it lost is started again', async () => {
    const { snapshot, stored, events, store } = scenario();
    store.remembered = stored(snapshot('paid', 1));
    store.redis = null;

    const applied = await applyEvent(store, events.succeeded, landing);

    expect(applied.change).toMatchObject({ from: 'processing', snapshot: { status: 'paid', seq: 1 } });
    expect(store.snapshot).toEqual(applied.change?.snapshot);
    expect(store.roundTrips).toEqual(['read', 'replace']);
  });

  it('a redelivered event answers the current snapshot as Redis holds it, after one read', async () => {
    const { snapshot, stored, events, store } = scenario();
    const paid = snapshot('paid', 1);
    store.redis = JSON.stringify(paid);
    store.remembered = stored(paid);

    expect(await applyEvent(store, events.succeeded, landing)).toEqual({ change: null, current: paid });
    expect(store.roundTrips).toEqual(['read']);

    store.remembered = undefined;
    expect(await applyEvent(store, events.succeeded, landing)).toEqual({ change: null, current: paid });
    expect(store.roundTrips).toEqual(['read', 'read']);
  });

  it('with nothing remembered, it reads, then writes', async () => {
    const { snapshot, events, store } = scenario();
    store.redis = JSON.stringify(snapshot('paid', 1));

    const applied = await applyEvent(store, events.confirmed, landing);

    expect(applied.change).toMatchObject({ from: 'paid', snapshot: { status: 'confirmed', seq: 2 } });
    expect(store.roundTrips).toEqual(['read', 'replace']);
  });
});
