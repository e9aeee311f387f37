import { z } from 'zod';
import { envPositiveInt, parseEnv } from '../../lib/env.js';
import { standInEnv } from '../common/config.js';

const UdiEnv = z.object({
  ...standInEnv({ port: 4002, latencyMs: 150 }),
  /** How long an SSO token can be exchanged after it is issued, in ms. Default 60000. */
  SSO_TOKEN_TTL_MS: envPositiveInt(60_000),
});
export type UdiConfig = z.infer<typeof UdiEnv>;

export function loadUdiConfig(env: NodeJS.ProcessEnv = process.env): UdiConfig {
  return parseEnv(UdiEnv, env);
}
