import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../lib/webhook-signature.js';
import { ApiError } from '../http/api-error.js';
import { readChargeSettledWebhook } from './read-webhook.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const SECRETS = ['whsec_the_current_secret', 'whsec_the_previous_secret'];
const webhook = {
  id: 'evt_1',
  type: 'charge.settled',
  created: '2026-12-07T09:59:58.000Z',
  data: {
    paymentId: '5b0a2a6e-0a5c-4c43-9c0e-8f4b5c1e2d3f',
    idempotencyKey: 'charge:5b0a2a6e-0a5c-4c43-9c0e-8f4b5c1e2d3f',
    chargeId: 'ch_1',
    status: 'declined',
    declineCode: 'AUTHENTICATION_ABANDONED',
  },
};

function refusal(read: () => unknown): { status: number; code: string; message: string; details?: unknown } {
  try {
    read();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { status: err.status, code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) };
  }
  throw new Error('the webhook was taken');
}

describe("reading Billing Gates' webhook", () => {
  it('takes a charge.settled event signed with any secret of the ring, within the window', () => {
    const body = JSON.stringify(webhook);
    expect(readChargeSettledWebhook(SECRETS, signWebhook(SECRETS[1]!, body, NOW - 60_000), body, NOW)).toEqual(webhook);
  });

  it('checks the signature before reading the body: an unsigned or forged body is refused for its signature, whatever it holds', () => {
    expect(refusal(() => readChargeSettledWebhook(SECRETS, undefined, 'not json', NOW))).toMatchObject({ status: 400, code: 'WEBHOOK_SIGNATURE_MISSING' });
    expect(refusal(() => readChargeSettledWebhook(SECRETS, signWebhook('whsec_someone_else', 'not json', NOW), 'not json', NOW))).toMatchObject({
      status: 400,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    const body = JSON.stringify(webhook);
    expect(refusal(() => readChargeSettledWebhook(SECRETS, signWebhook(SECRETS[0]!, body, NOW - 301_000), body, NOW))).toMatchObject({
      status: 400,
      code: 'WEBHOOK_TIMESTAMP_STALE',
    });
  });

  it('refuses a signed body that is not JSON, or not a charge.settled event, as INVALID_WEBHOOK naming what is wrong', () => {
    const notJson = '{"id":';
    expect(refusal(() => readChargeSettledWebhook(SECRETS, signWebhook(SECRETS[0]!, notJson, NOW), notJson, NOW))).toEqual({
      status: 400,
      code: 'INVALID_WEBHOOK',
      message: 'The webhook body is not JSON.',
    });
    const unknownDecline = JSON.stringify({ ...webhook, data: { ...webhook.data, declineCode: 'CARD_STOLEN' } });
    const refused = refusal(() => readChargeSettledWebhook(SECRETS, signWebhook(SECRETS[0]!, unknownDecline, NOW), unknownDecline, NOW));
    expect(refused).toMatchObject({ status: 400, code: 'INVALID_WEBHOOK', details: [expect.objectContaining({ path: 'data.declineCode' })] });
    expect(refused.message).toMatch(/^The webhook is not a charge\.settled event \(data\.declineCode: /);
  });
});
