import { z } from 'zod';
import { PayflowError } from '../contracts/payflow-error.js';

/** A configuration value that is wrong or missing. Its message names the variable. */
export class ConfigError extends PayflowError {
  constructor(message: string, code = 'CONFIG_INVALID') {
    super(code, message, { retryable: false });
  }
}

/** Variables whose value is a secret: a bad one is named, its value never repeated (it would land in logs). */
const SECRET = /TOKEN|PASSWORD|SECRET|KEYS?$/;

/**
 * Parses environment variables with a zod object schema whose keys are the variable names.
 * Throws a ConfigError with one line per bad variable, e.g. `PORT: expected a number, got "abc"`.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const raw = env[name];
    const got = raw === undefined ? 'it is not set' : SECRET.test(name) ? `got a value of ${raw.length} characters, not shown` : `got ${JSON.stringify(raw)}`;
    return `invalid configuration: ${name}: ${issue.message} (${got})`;
  });
  throw new ConfigError(lines.join('\n'));
}

/** An empty variable (`KAFKA_BROKERS= npm start`, `${X:-}` in a compose file) means unset. */
export const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

/** Shared variable shapes. */
export const envPort = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const envUrl = (fallback: string) => z.url().default(fallback);
export const envPositiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const envLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
export const envBrokers = z
  .string()
  .default('127.0.0.1:9092')
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'each broker must be host:port')).min(1));
