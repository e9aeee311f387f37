import { describe, expect, it } from 'vitest';
import { loadBillingGatesConfig } from './config.js';
import { DEVELOPMENT_WEBHOOK_SECRET, webhookSecretFor } from './webhook-secret.js';

describe('Billing Gates configuration', () => {
  it('with nothing set: no webhook URL, the development secret, challenges expire after 10 minutes', () => {
    const config = loadBillingGatesConfig({});
    expect([config.WEBHOOK_URL, config.WEBHOOK_SECRET, config.PUBLIC_URL, config.CHALLENGE_TTL_MS]).toEqual([undefined, undefined, undefined, 600_000]);
    expect(webhookSecretFor(config.WEBHOOK_SECRET, config.NODE_ENV)).toEqual({ secret: DEVELOPMENT_WEBHOOK_SECRET, development: true });
  });

  it('reads WEBHOOK_URL, WEBHOOK_SECRET and CHALLENGE_TTL_MS; an empty value means unset', () => {
    const secret = 'x'.repeat(32);
    expect(
      loadBillingGatesConfig({ WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/billing-gates', WEBHOOK_SECRET: secret, CHALLENGE_TTL_MS: '5000' }),
    ).toMatchObject({
      WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/billing-gates',
      WEBHOOK_SECRET: secret,
      CHALLENGE_TTL_MS: 5000,
    });
    const empty = loadBillingGatesConfig({ WEBHOOK_URL: '', WEBHOOK_SECRET: '' });
    expect([empty.WEBHOOK_URL, empty.WEBHOOK_SECRET]).toEqual([undefined, undefined]);
  });

  it('a bad value stops the start with one line naming the variable, never repeating a secret', () => {
    expect(() => loadBillingGatesConfig({ WEBHOOK_URL: 'ftp://example.com/' })).toThrow(/^invalid configuration: WEBHOOK_URL: /);
    expect(() => loadBillingGatesConfig({ CHALLENGE_TTL_MS: '0' })).toThrow(/^invalid configuration: CHALLENGE_TTL_MS: /);
    expect(() => loadBillingGatesConfig({ WEBHOOK_SECRET: 'short-secret' })).toThrow(/^invalid configuration: WEBHOOK_SECRET: .*not shown\)$/);
  });

  it('with NODE_ENV=production, an unset WEBHOOK_SECRET refuses to start', () => {
    expect(() => webhookSecretFor(undefined, 'production')).toThrow(/^invalid configuration: WEBHOOK_SECRET: must be set when NODE_ENV=production/);
    expect(webhookSecretFor('y'.repeat(32), 'production')).toEqual({ secret: 'y'.repeat(32), development: false });
  });
});
