import { describe, expect, it } from 'vitest';
import type { PaymentStatusName } from './payment-status.js';
import { isNewerSnapshot } from './snapshot-order.js';

const at = (status: PaymentStatusName, seq: number) => ({ status, seq });

describe('isNewerSnapshot', () => {
  it('takes the first snapshot, then only a higher seq of the same status', () => {
    expect(isNewerSnapshot(at('processing', 0), undefined)).toBe(true);
    expect(isNewerSnapshot(at('processing', 1), at('processing', 0))).toBe(true);
    expect(isNewerSnapshot(at('processing', 1), at('processing', 1))).toBe(false);
    expect(isNewerSnapshot(at('paid', 2), at('paid', 3))).toBe(false);
  });

  it('takes a later status whose seq started again from 0 (its snapshot was rebuilt after Redis lost it)', () => {
    expect(isNewerSnapshot(at('confirmed', 1), at('paid', 1))).toBe(true);
    expect(isNewerSnapshot(at('paid', 1), at('processing', 4))).toBe(true);
    expect(isNewerSnapshot(at('refunded', 1), at('refund_failed', 3))).toBe(true);
  });

  it('never moves back to an earlier status, whatever its seq', () => {
    expect(isNewerSnapshot(at('processing', 0), at('paid', 1))).toBe(false);
    expect(isNewerSnapshot(at('processing', 9), at('paid', 1))).toBe(false);
    expect(isNewerSnapshot(at('paid', 5), at('confirmed', 2))).toBe(false);
    expect(isNewerSnapshot(at('refund_failed', 7), at('refunded', 3))).toBe(false);
  });
});
