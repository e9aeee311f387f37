import { z } from 'zod';
import { parseEnv, unsetIfEmpty } from '../../lib/env.js';
import { standInEnv } from '../common/config.js';
import { DEFAULT_CHALLENGE_TTL_MS, HttpUrl, MAX_CHALLENGE_TTL_MS } from './control.js';

const BillingGatesEnv = z.object({
  ...standInEnv({ port: 4001, latencyMs: 300 }),
  /** Where the charge.settled webhooks are POSTed (payflow's webhook endpoint); the initial `webhookUrl` of the control state. Unset: no webhook is sent. */
  WEBHOOK_URL: z.preprocess(unsetIfEmpty, HttpUrl.optional()),
  /** The shared secret the webhooks are signed under. Unset: the public development secret, refused with NODE_ENV=production. */
  WEBHOOK_SECRET: z.preprocess(unsetIfEmpty, z.string().min(32).max(1024).optional()),
  /** How long a challenge waits for the shopper, in ms, before it expires as AUTHENTICATION_ABANDONED; the initial `challengeTtlMs`. Default 600000 (10 minutes). */
  CHALLENGE_TTL_MS: z.coerce.number().int().min(1).max(MAX_CHALLENGE_TTL_MS).default(DEFAULT_CHALLENGE_TTL_MS),
  /** The base URL browsers reach Billing Gates at, for the challenge pages' address (behind a proxy, say). Unset: the host each charge request came to. */
  PUBLIC_URL: z.preprocess(unsetIfEmpty, HttpUrl.optional()),
  NODE_ENV: z.string().optional(),
});
export type BillingGatesConfig = z.infer<typeof BillingGatesEnv>;

export function loadBillingGatesConfig(env: NodeJS.ProcessEnv = process.env): BillingGatesConfig {
  return parseEnv(BillingGatesEnv, env);
}
