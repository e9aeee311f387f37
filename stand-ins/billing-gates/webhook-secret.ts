import { ConfigError } from '../../lib/env.js';
import { DEVELOPMENT_WEBHOOK_SECRET } from '../../lib/webhook-signature.js';

/**
 * Outside production with no secret configured, webhooks are signed under the public development
 * secret payflow's webhook endpoint also accepts there (lib/webhook-signature.ts), so that
 * `npm start` works with no setup. The stand-in logs when it uses it.
 */
export { DEVELOPMENT_WEBHOOK_SECRET };

/** The configured secret; without one, the development secret outside production, and a refusal to start in production. */
export function webhookSecretFor(secret: string | undefined, nodeEnv: string | undefined): { secret: string; development: boolean } {
  if (secret !== undefined) return { secret, development: false };
  if (nodeEnv === 'production') {
    throw new ConfigError(
      'invalid configuration: WEBHOOK_SECRET: must be set when NODE_ENV=production (at least 32 characters, e.g. $(openssl rand -base64 32))',
    );
  }
  return { secret: DEVELOPMENT_WEBHOOK_SECRET, development: true };
}
