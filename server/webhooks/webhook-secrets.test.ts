import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../lib/env.js';
import { DEVELOPMENT_WEBHOOK_SECRET } from '../../lib/webhook-signature.js';
import { z } from 'zod';
import { envWebhookSecrets, webhookSecretsFor } from './webhook-secrets.js';

const read = (value: string | undefined) =>
  parseEnv(z.object({ WEBHOOK_SECRETS: envWebhookSecrets }), value === undefined ? {} : { WEBHOOK_SECRETS: value }).WEBHOOK_SECRETS;

describe('WEBHOOK_SECRETS', () => {
  it('is a comma-separated ring of secrets; empty means unset', () => {
    expect(read('whsec_new_secret_0001, whsec_old_secret_0002')).toEqual(['whsec_new_secret_0001', 'whsec_old_secret_0002']);
    expect(read('')).toBeUndefined();
    expect(read(undefined)).toBeUndefined();
  });

  it('refuses a short secret with a line naming the variable, never the value', () => {
    expect(() => read('whsec_ok_and_long_enough,short')).toThrow(
      /^invalid configuration: WEBHOOK_SECRETS: each secret must be at least 16 characters \(got a value of 30 characters, not shown\)$/,
    );
  });

  it('falls back to the development secret the stand-in signs with, except in production, where it stops the BFF', () => {
    expect(webhookSecretsFor(undefined, undefined)).toEqual({ secrets: [DEVELOPMENT_WEBHOOK_SECRET], development: true });
    expect(webhookSecretsFor(['whsec_configured_secret'], 'production')).toEqual({ secrets: ['whsec_configured_secret'], development: false });
    expect(() => webhookSecretsFor(undefined, 'production')).toThrow(/^invalid configuration: WEBHOOK_SECRETS: must be set when NODE_ENV=production/);
  });
});
