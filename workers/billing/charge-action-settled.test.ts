import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type ChargeActionSettled } from '../../contracts/index.js';
import { createLogger } from '../../lib/logger.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import { StepBudget } from '../common/step-budget.js';
import type { BillingGatesClient, ChargeResult, LookupResult } from './billing-gates-client.js';
import { settleChargeAction } from './charge-action-settled.js';

const settled = newEvent({
  type: 'ChargeActionSettled',
  paymentId: randomUUID(),
  correlationId: 'c1',
  data: { webhookEventId: 'evt_1', chargeId: 'ch_1', status: 'succeeded' },
}) as ChargeActionSettled;
const amount = { value: 2900, currency: 'EUR' };
const record = (ageMs = 0) => ({ seen: { ageMs: () => ageMs, firstHere: true } });

/** A Billing Gates whose lookup and void answer as given; counts the calls. */
function gates(lookup: () => Promise<LookupResult>, voidCharge: () => Promise<ChargeResult> = () => Promise.resolve({ outcome: 'voided' })) {
  const counts = { lookups: 0, voids: 0 };
  const client = {
    lookupCharge: () => ((counts.lookups += 1), lookup()),
    voidCharge: () => ((counts.voids += 1), voidCharge()),
  } as unknown as BillingGatesClient;
  return { client, counts };
}
const settle = (client: BillingGatesClient, ageMs = 0) =>
  settleChargeAction(client, new StepBudget(60_000), () => undefined, createLogger('test', 'silent'))(settled, record(ageMs));

describe('settleChargeAction', () => {
  it('publishes PaymentSucceeded from what the lookup says was charged, with the plan and customer the charge kept', async () => {
    const { client } = gates(() =>
      Promise.resolve({ outcome: 'charged', chargeId: 'ch_1', amount, metadata: { planId: 'team', customerEmail: 'a@example.com' } }),
    );
    await expect(settle(client)).resolves.toMatchObject({
      type: 'PaymentSucceeded',
      paymentId: settled.paymentId,
      data: { chargeId: 'ch_1', planId: 'team', amount, customer: { email: 'a@example.com' } },
    });
  });

  it('publishes PaymentFailed with the reason of a challenge failed or abandoned, as the lookup says, whatever the webhook said', async () => {
    const reason = { code: 'AUTHENTICATION_FAILED', message: 'Your bank could not confirm that it was you.' };
    const { client } = gates(() => Promise.resolve({ outcome: 'declined', reason }));
    await expect(settle(client)).resolves.toMatchObject({ type: 'PaymentFailed', data: { reason } });
  });

  it('a charge the lookup still finds pending is retried, not taken for settled', async () => {
    const { client, counts } = gates(() =>
      Promise.resolve({ outcome: 'requires_action', chargeId: 'ch_1', nextAction: { type: 'redirect', url: 'http://x/c' } }),
    );
    await expect(settle(client)).rejects.toBeInstanceOf(TransientDownstreamError);
    expect(counts).toEqual({ lookups: 1, voids: 0 });
  });

  it('past its budget, a charge still pending is voided: not charged, and final', async () => {
    const pending = () => Promise.resolve<LookupResult>({ outcome: 'requires_action', chargeId: 'ch_1', nextAction: { type: 'redirect', url: 'http://x/c' } });
    const { client, counts } = gates(pending);
    await expect(settle(client, 61_000)).resolves.toMatchObject({ type: 'PaymentFailed', data: { reason: { code: 'NOT_CHARGED' } } });
    expect(counts).toEqual({ lookups: 1, voids: 1 });
  });

  it('a payment Billing Gates has no charge for publishes nothing', async () => {
    const { client } = gates(() => Promise.resolve({ outcome: 'not_found' }));
    await expect(settle(client)).resolves.toBeNull();
  });

  it('a charge settled without its metadata is refused for good, never published with a guessed plan', async () => {
    const { client } = gates(() => Promise.resolve({ outcome: 'charged', chargeId: 'ch_1', amount, metadata: {} }));
    await expect(settle(client)).rejects.toMatchObject({ code: 'CHARGE_METADATA_MISSING' });
  });
});
