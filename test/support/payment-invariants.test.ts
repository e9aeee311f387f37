import { describe, expect, it } from 'vitest';
import type { PaymentSnapshot, PaymentStatusName } from '../../contracts/index.js';
import { duplicatedOutcomes, findViolations, type LedgerEntry, type OutcomeEvent, type PaymentRecords } from './payment-invariants.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

let seq = 0;
const entry = (kind: string, paymentId: string): LedgerEntry => ({ seq: ++seq, kind, paymentId });
const snapshot = (paymentId: string, status: PaymentStatusName): [string, PaymentSnapshot] => [
  paymentId,
  { paymentId, status, seq: 1, updatedAt: '2026-01-01T00:00:00.000Z' },
];

/** A confirmed payment A and a refunded payment B, as a healthy run leaves them. */
function healthy(): PaymentRecords {
  return {
    billing: [entry('charge', A), entry('charge', B), entry('refund', B)],
    udi: [entry('order-created', A), entry('confirm', A), entry('order-created', B), entry('order-cancelled', B)],
    snapshots: new Map([snapshot(A, 'confirmed'), snapshot(B, 'refunded')]),
    outcomes: [
      { type: 'PaymentSucceeded', paymentId: A },
      { type: 'OrderConfirmed', paymentId: A },
      { type: 'PaymentSucceeded', paymentId: B },
      { type: 'OrderFailed', paymentId: B },
      { type: 'PaymentRefunded', paymentId: B },
    ],
  };
}

describe('findViolations', () => {
  it('finds nothing in a run where every charge has an order or a refund', () => {
    expect(Object.values(findViolations(healthy())).flat()).toEqual([]);
  });

  it('finds a payment charged twice', () => {
    const records = healthy();
    records.billing.push(entry('charge', A));
    expect(findViolations(records).duplicateCharges).toEqual([A]);
  });

  it('finds a payment both confirmed in Udi and refunded', () => {
    const records = healthy();
    records.billing.push(entry('refund', A));
    expect(findViolations(records).confirmedAndRefunded).toEqual([A]);
  });

  it('finds a refund with no charge behind it', () => {
    const records = healthy();
    records.billing = records.billing.filter((e) => !(e.kind === 'charge' && e.paymentId === B));
    expect(findViolations(records).refundWithoutCharge).toEqual([B]);
  });

  it('finds a charge for a payment that reached no terminal status, or was never answered 202', () => {
    const records = healthy();
    const unknown = '00000000-0000-4000-8000-00000000000c';
    records.billing.push(entry('charge', unknown));
    records.snapshots.set(...snapshot(A, 'paid'));
    const found = findViolations(records);
    expect(found.chargedWithoutTerminalStatus.sort()).toEqual([A, unknown].sort());
    expect(found.stuck).toEqual([A]);
    expect(found.chargedWithoutOrderOrRefund).toEqual([unknown]);
  });

  it('finds a status the ledgers contradict: failed although charged', () => {
    const records = healthy();
    records.snapshots.set(...snapshot(A, 'failed'));
    expect(findViolations(records).statusWithoutEffect).toEqual([A]);
  });

  it('finds two different outcomes of one payment in the published events', () => {
    const records = healthy();
    records.outcomes!.push({ type: 'OrderFailed', paymentId: A }, { type: 'PaymentFailed', paymentId: B });
    expect(findViolations(records).contradictoryOutcomes.sort()).toEqual([A, B].sort());
  });

  it('finds an Idempotency-Key answered with two payments, and not one answered twice with the same payment', () => {
    const records = healthy();
    records.answers = [
      { idempotencyKey: 'key-of-a', paymentId: A },
      { idempotencyKey: 'key-of-a', paymentId: A },
      { idempotencyKey: 'key-of-b', paymentId: B },
    ];
    expect(findViolations(records).paymentsForOneKey).toEqual([]);
    const second = '00000000-0000-4000-8000-00000000000d';
    records.answers.push({ idempotencyKey: 'key-of-a', paymentId: second });
    expect(findViolations(records).paymentsForOneKey.sort()).toEqual([A, second].sort());
  });

  it('finds a payment told "not charged" and charged all the same, but not one whose charge was left unresolved', () => {
    const C = '00000000-0000-4000-8000-00000000000c';
    const D = '00000000-0000-4000-8000-00000000000d';
    const records = healthy();
    records.billing.push(entry('void', C), entry('charge', C), entry('charge', D));
    records.outcomes!.push(
      { type: 'PaymentFailed', paymentId: C, reasonCode: 'NOT_CHARGED' },
      { type: 'PaymentFailed', paymentId: D, reasonCode: 'CHARGE_UNRESOLVED' },
    );
    const found = findViolations(records);
    expect(found.chargedAfterNotCharged).toEqual([C]);
    expect(found.voidedAndCharged).toEqual([C]);
  });

  it('finds nothing in a payment whose key was voided with nothing charged, or whose pending charge was voided', () => {
    const C = '00000000-0000-4000-8000-00000000000c';
    const D = '00000000-0000-4000-8000-00000000000d';
    const records = healthy();
    records.billing.push(entry('void', C), entry('charge-pending', D), entry('void', D));
    records.outcomes!.push(
      { type: 'PaymentFailed', paymentId: C, reasonCode: 'NOT_CHARGED' },
      { type: 'PaymentFailed', paymentId: D, reasonCode: 'NOT_CHARGED' },
    );
    records.snapshots.set(...snapshot(C, 'failed')).set(...snapshot(D, 'failed'));
    expect(Object.values(findViolations(records)).flat()).toEqual([]);
  });

  it('finds a confirm in Udi for a payment whose order was given up, even when nothing was refunded', () => {
    const records = healthy();
    records.udi.push(entry('confirm', B));
    records.billing = records.billing.filter((e) => e.kind !== 'refund');
    expect(findViolations(records).confirmedAfterGiveUp).toEqual([B]);
  });

  it('finds a refund of a payment whose order Udi never cancelled', () => {
    const records = healthy();
    records.udi = records.udi.filter((e) => e.kind !== 'order-cancelled');
    expect(findViolations(records).refundedWithoutCancel).toEqual([B]);
  });

  it('finds a charge for a payment whose bank challenge was declined as failed or abandoned, and not a card declined before its charge', () => {
    const records = healthy();
    records.billing.push({ seq: ++seq, kind: 'decline', paymentId: A, declineCode: 'AUTHENTICATION_FAILED' });
    records.billing.push({ seq: ++seq, kind: 'decline', paymentId: B });
    expect(findViolations(records).chargedAfterFailedChallenge).toEqual([A]);
    records.billing.push({ seq: ++seq, kind: 'decline', paymentId: B, declineCode: 'AUTHENTICATION_ABANDONED' });
    expect(findViolations(records).chargedAfterFailedChallenge).toEqual([A, B]);
  });

  it('counts an outcome published twice as a duplicate, not as a contradiction', () => {
    const outcomes: OutcomeEvent[] = [...healthy().outcomes!, { type: 'OrderConfirmed', paymentId: A }];
    expect(findViolations({ ...healthy(), outcomes }).contradictoryOutcomes).toEqual([]);
    expect(duplicatedOutcomes(outcomes)).toBe(1);
  });
});
