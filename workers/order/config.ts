import { z } from 'zod';
import { envUrl, parseEnv } from '../../lib/env.js';
import { workerEnvSchema } from '../common/worker-config.js';

const Schema = workerEnvSchema(9102).extend({
  /** Udi base URL; default the local stand-in. */
  UDI_URL: envUrl('http://127.0.0.1:4002'),
});
export type OrderWorkerConfig = z.infer<typeof Schema>;

export function loadConfig(env: NodeJS.ProcessEnv): OrderWorkerConfig {
  return parseEnv(Schema, env);
}
