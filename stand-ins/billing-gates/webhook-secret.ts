import { ConfigError } from '../../lib/env.js';

/**
 * The secret webhooks are signed under outside production when none is configured: fixed and
 * public, so that `npm start` works with no setup; payflow's webhook endpoint must accept it
 * there too. The stand-in logs when it uses it.
 */
export const DEVELOPMENT_WEBHOOK_SECRET = 'payflow development webhook secret; never use in production';

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
