import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const body = JSON.stringify({ id: 'evt_1', type: 'charge.settled' });

describe('webhook signatures', () => {
  it('accepts what was signed with a secret of the ring, within the window', () => {
    const header = signWebhook('old-secret', body, NOW - 60_000);
    expect(verifyWebhook(['new-secret', 'old-secret'], header, body, NOW)).toEqual({ ok: true, timestamp: (NOW - 60_000) / 1000 });
  });

  it('refuses a changed body, another secret, a changed timestamp, and no header, each with its code', () => {
    const header = signWebhook('secret', body, NOW);
    expect(verifyWebhook(['secret'], header, body.replace('evt_1', 'evt_2'), NOW)).toMatchObject({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect(verifyWebhook(['other'], header, body, NOW)).toMatchObject({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect(verifyWebhook(['secret'], header.replace(/t=\d+/, `t=${NOW / 1000 + 1}`), body, NOW)).toMatchObject({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(verifyWebhook(['secret'], 'v1=abc', body, NOW)).toMatchObject({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect(verifyWebhook(['secret'], undefined, body, NOW)).toMatchObject({ ok: false, code: 'WEBHOOK_SIGNATURE_MISSING' });
  });

  it('refuses a webhook signed more than five minutes from now, either way', () => {
    expect(verifyWebhook(['secret'], signWebhook('secret', body, NOW - 301_000), body, NOW)).toMatchObject({ ok: false, code: 'WEBHOOK_TIMESTAMP_STALE' });
    expect(verifyWebhook(['secret'], signWebhook('secret', body, NOW + 301_000), body, NOW)).toMatchObject({ ok: false, code: 'WEBHOOK_TIMESTAMP_STALE' });
    expect(verifyWebhook(['secret'], signWebhook('secret', body, NOW - 299_000), body, NOW)).toMatchObject({ ok: true });
  });
});
