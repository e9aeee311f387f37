import { z } from 'zod';
import { envUrl, parseEnv } from '../../lib/env.js';
import { workerEnvSchema } from '../common/worker-config.js';

const Schema = workerEnvSchema(9101).extend({
  /** Billing Gates base URL; default the local stand-in. */
  BILLING_GATES_URL: envUrl('http://127.0.0.1:4001'),
});
export type BillingWorkerConfig = z.infer<typeof Schema>;

export function loadConfig(env: NodeJS.ProcessEnv): BillingWorkerConfig {
  return parseEnv(Schema, env);
}
