import { z } from 'zod';
import { parseEnv } from '../../lib/env.js';
import { standInEnv } from '../common/config.js';

const BillingGatesEnv = z.object({
  ...standInEnv({ port: 4001, latencyMs: 300 }),
});
export type BillingGatesConfig = z.infer<typeof BillingGatesEnv>;

export function loadBillingGatesConfig(env: NodeJS.ProcessEnv = process.env): BillingGatesConfig {
  return parseEnv(BillingGatesEnv, env);
}
