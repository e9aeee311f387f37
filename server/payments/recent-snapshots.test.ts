import { describe, expect, it } from 'vitest';
import type { PaymentSnapshot } from '../../contracts/index.js';
import { RecentSnapshots } from './recent-snapshots.js';
import type { StoredSnapshot } from './stored-snapshot.js';

function stored(paymentId: string, seq = 0): StoredSnapshot {
  const snapshot: PaymentSnapshot = { paymentId, status: 'processing', seq, updatedAt: '2026-01-01T00:00:00.000Z' };
  return { snapshot, text: JSON.stringify(snapshot) };
}

function clock() {
  const time = { now: 0 };
  return { time, now: () => time.now };
}

describe('the snapshots a replica remembers', () => {
  it('answers the last one written or read for a payment, and nothing for one it does not know or forgot', () => {
    const recent = new RecentSnapshots(10, 60_000);
    recent.remember(stored('a', 0));
    recent.remember(stored('a', 1));
    recent.remember(stored('b'));
    recent.forget('b');
    expect(recent.get('a')).toEqual(stored('a', 1));
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('c')).toBeUndefined();
  });

  it('holds at most its capacity, letting go of the one remembered longest ago', () => {
    const recent = new RecentSnapshots(2, 60_000);
    recent.remember(stored('a'));
    recent.remember(stored('b'));
    recent.remember(stored('a', 1)); // remembered again: now the latest
    recent.remember(stored('c'));
    expect([recent.get('a'), recent.get('b'), recent.get('c')]).toEqual([stored('a', 1), undefined, stored('c')]);
    expect(recent.size).toBe(2);
  });

  it('forgets a payment once it has not been written or read for its maximum age, and lets go of such ones as others arrive', () => {
    const { time, now } = clock();
    const recent = new RecentSnapshots(10, 1_000, now);
    recent.remember(stored('a'));
    recent.remember(stored('b'));
    time.now = 800;
    recent.remember(stored('b', 1));
    time.now = 1_001;
    expect(recent.get('a')).toBeUndefined();
    expect(recent.get('b')).toEqual(stored('b', 1));
    recent.remember(stored('c'));
    time.now = 1_900;
    recent.remember(stored('d'));
    expect(recent.size).toBe(2); // c and d; b had its last write at 800
  });
});
