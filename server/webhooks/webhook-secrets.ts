import { z } from 'zod';
import { ConfigError, unsetIfEmpty } from '../../lib/env.js';
import { DEVELOPMENT_WEBHOOK_SECRET } from '../../lib/webhook-signature.js';

/**
 * `WEBHOOK_SECRETS`: the secrets Billing Gates may sign its webhooks with, comma-separated, each at
 * least 16 characters. Every one is accepted, so a secret is rotated by adding the new one, moving
 * the sender to it, then removing the old one.
 */
export const envWebhookSecrets = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((secret) => secret.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(16, 'each secret must be at least 16 characters')).min(1, 'must name at least one secret'))
    .optional(),
);

/**
 * The configured secrets; without any, the public development secret outside production (the one
 * the stand-in signs with), and a refusal to start in production, where it would let anyone sign.
 */
export function webhookSecretsFor(secrets: string[] | undefined, nodeEnv: string | undefined): { secrets: string[]; development: boolean } {
  if (secrets !== undefined) return { secrets, development: false };
  if (nodeEnv === 'production') {
    throw new ConfigError('invalid configuration: WEBHOOK_SECRETS: must be set when NODE_ENV=production (the secret Billing Gates signs its webhooks with)');
  }
  return { secrets: [DEVELOPMENT_WEBHOOK_SECRET], development: true };
}
