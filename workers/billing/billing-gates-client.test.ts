import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createBillingGatesApp } from '../../stand-ins/billing-gates/app.js';
import type { BillingControl } from '../../stand-ins/billing-gates/control.js';
import { startServer, testLogger, type RunningServer } from '../../stand-ins/common/testing.js';
import { DownstreamClient, TransientDownstreamError } from '../common/downstream-client.js';
import { BillingGatesClient } from './billing-gates-client.js';

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The client against the Billing Gates stand-in, in this process on a free port. */
async function gatesWith(control: Partial<BillingControl> = {}): Promise<BillingGatesClient> {
  server = await startServer(createBillingGatesApp({ logger: testLogger(), control }));
  return new BillingGatesClient(new DownstreamClient('billing-gates', server.url, new Registry(), 2_000));
}

/** A server that answers every request with `status` and `body`, as another processor might. */
async function answering(status: number, body: unknown): Promise<BillingGatesClient> {
  server = await startServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return new BillingGatesClient(new DownstreamClient('billing-gates', server.url, new Registry(), 2_000));
}

function payment(token = 'pm_card_ok') {
  return { paymentId: randomUUID(), amount: { value: 900, currency: 'EUR' }, paymentMethodToken: token };
}

describe('BillingGatesClient', () => {
  it('a charge answered succeeded is charged; voided afterwards, the void finds it charged and changes nothing', async () => {
    const gates = await gatesWith();
    const input = payment();
    const charged = await gates.charge(input);
    expect(charged).toEqual({ outcome: 'charged', chargeId: expect.stringMatching(/^ch_/) });
    expect(await gates.voidCharge(input.paymentId)).toEqual(charged);
    expect(await gates.charge(input)).toEqual(charged);
  });

  it('a key voided before any charge answers voided, and a charge under it afterwards is voided too, never charged', async () => {
    const gates = await gatesWith();
    const input = payment();
    expect(await gates.voidCharge(input.paymentId)).toEqual({ outcome: 'voided' });
    expect(await gates.charge(input)).toEqual({ outcome: 'voided' });
  });

  it('a declined charge is declined, and its void says declined', async () => {
    const gates = await gatesWith();
    const input = payment('pm_card_declined');
    expect(await gates.charge(input)).toMatchObject({ outcome: 'declined', reason: { code: 'CARD_DECLINED' } });
    expect(await gates.voidCharge(input.paymentId)).toMatchObject({ outcome: 'declined', reason: { code: 'CARD_DECLINED' } });
  });

  it('a charge that requires action is that, with where the shopper goes, never a charge; the lookup says so, and a void voids the pending charge', async () => {
    const gates = await gatesWith({ requiresActionTokens: ['pm_card_3ds'] });
    const input = payment('pm_card_3ds');
    const pending = await gates.charge({ ...input, metadata: { planId: 'team', customerEmail: 'a@example.com' } });
    expect(pending).toEqual({
      outcome: 'requires_action',
      chargeId: expect.stringMatching(/^ch_/),
      nextAction: { type: 'redirect', url: expect.stringMatching(/\/challenges\/chl_/) },
    });
    expect(await gates.lookupCharge(input.paymentId)).toEqual(pending);
    expect(await gates.voidCharge(input.paymentId)).toEqual({ outcome: 'voided' });
    expect(await gates.lookupCharge(input.paymentId)).toEqual({ outcome: 'voided' });
  });

  it('the lookup answers a charge with its amount and metadata, and a key never charged as not found', async () => {
    const gates = await gatesWith();
    const input = payment();
    const charged = await gates.charge({ ...input, metadata: { planId: 'team', customerEmail: 'a@example.com' } });
    expect(await gates.lookupCharge(input.paymentId)).toEqual({
      ...charged,
      amount: input.amount,
      metadata: { planId: 'team', customerEmail: 'a@example.com' },
    });
    expect(await gates.lookupCharge(randomUUID())).toEqual({ outcome: 'not_found' });
  });

  it('any other status of a 2xx charge is not a charge either, even with a chargeId', async () => {
    for (const status of ['processing', 'pending', 'SUCCEEDED']) {
      const gates = await answering(201, { chargeId: 'ch_x', status });
      await expect(gates.charge(payment())).rejects.toMatchObject({ code: 'CHARGE_NOT_SUCCEEDED' });
      await server?.close();
    }
  });

  it('a 2xx charge without a status, or succeeded without a chargeId, is an unreadable answer: transient, retried under the same key', async () => {
    for (const body of [{ chargeId: 'ch_x' }, { status: 'succeeded' }]) {
      const gates = await answering(201, body);
      await expect(gates.charge(payment())).rejects.toBeInstanceOf(TransientDownstreamError);
      await server?.close();
    }
  });

  it('a void refused with a 4xx is a PermanentError; one that meets an outage is transient', async () => {
    const refusing = await gatesWith({ refuseLookups: true });
    await expect(refusing.voidCharge(randomUUID())).rejects.toMatchObject({ name: 'PermanentError', message: expect.stringContaining('LOOKUP_REFUSED') });
    await server?.close();
    const down = await gatesWith({ down: true });
    await expect(down.voidCharge(randomUUID())).rejects.toBeInstanceOf(TransientDownstreamError);
  });
});
