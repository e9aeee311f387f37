import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { newEvent } from '../../contracts/index.js';
import { actionEnd, createChargeActionMetrics } from './charge-action-metrics.js';

const failed = (code: string) => newEvent({ type: 'PaymentFailed', paymentId: 'p1', correlationId: 'c1', data: { reason: { code, message: 'm' } } });

describe('charge action metrics', () => {
  it('reads how a challenge ended from the outcome published: charged, failed or abandoned at the bank, or otherwise', () => {
    const succeeded = newEvent({
      type: 'PaymentSucceeded',
      paymentId: 'p1',
      correlationId: 'c1',
      data: { chargeId: 'ch_1', planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' } },
    });
    expect(
      [succeeded, failed('AUTHENTICATION_FAILED'), failed('AUTHENTICATION_ABANDONED'), failed('NOT_CHARGED'), failed('CHARGE_UNRESOLVED')].map(actionEnd),
    ).toEqual(['completed', 'failed', 'abandoned', 'other', 'other']);
  });

  it('counts each outcome under payflow_charge_actions_total, every outcome shown from the start', async () => {
    const registry = new Registry();
    const metrics = createChargeActionMetrics(registry);
    metrics.asked();
    metrics.asked();
    metrics.ended(failed('AUTHENTICATION_ABANDONED'));
    metrics.ended(null);
    const values = (await registry.getSingleMetric('payflow_charge_actions_total')!.get()).values.map(({ labels, value }) => [labels['outcome'], value]);
    expect(Object.fromEntries(values)).toEqual({ asked: 2, completed: 0, failed: 0, abandoned: 1, other: 0 });
  });
});
