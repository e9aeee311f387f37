import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { envLogLevel, envPositiveInt, parseEnv } from '../lib/env.js';
import { infraEnvShape } from '../infra/infra-env.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A port a process must listen on (0, "any free port", cannot be handed to another process). */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const schema = z.object({
  ...infraEnvShape,
  /** Local Kafka's ports and local Redis' port, used when KAFKA_BROKERS / REDIS_URL are unset. */
  KAFKA_PORT: port(9092),
  KAFKA_CONTROLLER_PORT: port(9093),
  REDIS_PORT: port(6379),
  /** Where local Kafka and Redis keep data and logs. Default: .payflow/ in the repo (gitignored). */
  PAYFLOW_STATE_DIR: z.string().min(1).default(join(REPO_ROOT, '.payflow')),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  TOPIC_PARTITIONS: envPositiveInt(6),
  LOG_LEVEL: envLogLevel,
  /** The BFF's port, the one to open in a browser. */
  PORT: port(3000),
  BILLING_GATES_PORT: port(4001),
  UDI_PORT: port(4002),
  SAAS_APP_PORT: port(4003),
  BILLING_WORKER_PORT: port(9101),
  ORDER_WORKER_PORT: port(9102),
});

export type StartConfig = z.infer<typeof schema>;

/** The `npm start` launcher's configuration. Throws a ConfigError naming each bad variable. */
export function loadStartConfig(env: NodeJS.ProcessEnv): StartConfig {
  return parseEnv(schema, env);
}
