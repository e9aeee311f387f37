import { z } from 'zod';
import { envPositiveInt, envUrl, parseEnv } from '../../lib/env.js';
import { envTokenKeys } from '../../lib/token-cipher.js';
import { workerEnvSchema } from '../common/worker-config.js';

const Schema = workerEnvSchema(9102).extend({
  /** Udi base URL; default the local stand-in. */
  UDI_URL: envUrl('http://127.0.0.1:4002'),
  /** How long after the charge Udi may keep failing before the order is refunded; default 2 min. */
  ORDER_DEADLINE_MS: envPositiveInt(120_000),
  NODE_ENV: z.string().optional(),
  /** Key ring sealing SSO tokens in OrderConfirmed; the first key encrypts. Required in production. */
  SSO_TOKEN_KEYS: envTokenKeys,
});
export type OrderWorkerConfig = z.infer<typeof Schema>;

export function loadConfig(env: NodeJS.ProcessEnv): OrderWorkerConfig {
  return parseEnv(Schema, env);
}
