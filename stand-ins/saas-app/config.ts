import { z } from 'zod';
import { envPositiveInt, envUrl, parseEnv } from '../../lib/env.js';
import { standInEnv } from '../common/config.js';

const SaasAppEnv = z.object({
  ...standInEnv({ port: 4003, latencyMs: 0 }),
  /** Where Udi's token exchange lives. */
  UDI_URL: envUrl('http://127.0.0.1:4002'),
  /** How long to wait for Udi before showing "try again", in ms. Default 5000. */
  UDI_TIMEOUT_MS: envPositiveInt(5_000),
  /** Mark the session cookie Secure; turn on behind HTTPS. Default false (plain http on localhost). */
  SESSION_COOKIE_SECURE: z.stringbool().default(false),
});
export type SaasAppConfig = z.infer<typeof SaasAppEnv>;

export function loadSaasAppConfig(env: NodeJS.ProcessEnv = process.env): SaasAppConfig {
  return parseEnv(SaasAppEnv, env);
}
