import { z } from 'zod';
import { envLogLevel, envPort, envUrl, parseEnv } from '../../lib/env.js';

const Schema = z.object({
  PORT: envPort(3900),
  BILLING_GATES_URL: envUrl('http://127.0.0.1:4001'),
  UDI_URL: envUrl('http://127.0.0.1:4002'),
  LOG_LEVEL: envLogLevel,
});

export type BaselineConfig = z.infer<typeof Schema>;

export function loadConfig(env: NodeJS.ProcessEnv): BaselineConfig {
  return parseEnv(Schema, env);
}
