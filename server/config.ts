import { z } from 'zod';
import { envTokenKeys } from '../lib/token-cipher.js';
import { envBrokers, envLogLevel, envPort, envPositiveInt, envUrl, parseEnv } from '../lib/env.js';
import { kafkaConnectionEnvShape } from '../lib/kafka-connection.js';
import { topicDurabilityEnvShape } from '../lib/kafka-topics.js';
import { redisDurabilityEnvShape } from '../lib/redis-durability.js';
import { configuredRedisUrl, redisEnvShape } from '../lib/redis-connection.js';
import { envOtlpEndpoint } from '../lib/tracing.js';
import { envTrustProxy } from './http/trust-proxy.js';
import { envClientSecretKeys } from './payments/client-secret.js';
import { replicaConfirmationEnvShape } from './payments/replica-confirmation.js';
import { MAX_SHUTDOWN_DRAIN_MS } from './stop-budget.js';
import { envWebhookSecrets } from './webhooks/webhook-secrets.js';

const Schema = z.object({
  PORT: envPort(3000),
  /** Interface to listen on; default 127.0.0.1 (loopback only). */
  HOST: z.string().default('127.0.0.1'),
  KAFKA_BROKERS: envBrokers,
  ...kafkaConnectionEnvShape,
  /** Prefix of every topic name; default "" (none). */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** Partitions of each topic created at start; default 6. */
  TOPIC_PARTITIONS: envPositiveInt(6),
  ...topicDurabilityEnvShape,
  /** Where Redis is: REDIS_URL (redis://, or redis+sentinel://), or REDIS_SENTINELS with REDIS_SENTINEL_NAME; default redis://127.0.0.1:6379. */
  ...redisEnvShape,
  /** How many Redis replicas must hold the accept path's writes, and for how long it waits (server/payments/replica-confirmation.ts). */
  ...replicaConfirmationEnvShape,
  /**
   * Whether to refuse to start on a Redis that could lose keys (maxmemory-policy other than
   * noeviction, or neither AOF nor RDB save points): enforce or warn; default enforce with
   * NODE_ENV=production, else warn.
   */
  ...redisDurabilityEnvShape,
  /** Where the browser goes with the SSO token; default the local SaaS app stand-in. */
  SAAS_APP_URL: envUrl('http://127.0.0.1:4003'),
  /** How long a payment's status is kept in Redis; default 7 days. */
  PAYMENT_TTL_SECONDS: envPositiveInt(7 * 24 * 3600),
  /** How long a payment's history (the operators' lookup) is kept after its last entry; default 7 days. */
  PAYMENT_HISTORY_TTL_SECONDS: envPositiveInt(7 * 24 * 3600),
  /** POST /api/payments allowed per client address (an IPv6 /64) per minute; default 60. */
  PAYMENT_RATE_LIMIT_PER_MINUTE: envPositiveInt(60),
  /** Socket.IO handshakes allowed per client address (an IPv6 /64) per minute; default 120 (a page reconnecting now and then). */
  SOCKET_HANDSHAKES_PER_MINUTE: envPositiveInt(120),
  /**
   * Whose X-Forwarded-For is believed: the number of proxies in front of the BFF, or the load
   * balancers' own addresses and CIDRs (and `loopback`), comma-separated; default loopback.
   * Private ranges by name (uniquelocal, linklocal) are refused: server/http/trust-proxy.ts says why.
   */
  TRUST_PROXY: envTrustProxy,
  /** Origins besides the BFF's own whose pages may open sockets, comma-separated; default none. */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  /** On SIGTERM, how long /readyz answers 503 before the listener closes, in ms; default 0, at most what the stop budget leaves (5000). */
  SHUTDOWN_DRAIN_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(
      MAX_SHUTDOWN_DRAIN_MS,
      `must be at most ${MAX_SHUTDOWN_DRAIN_MS}: the rest of the 10 s stop finishes the requests in flight, commits the consumers' offsets and writes the history (server/stop-budget.ts)`,
    )
    .default(0),
  /** How often the BFF ends the payments whose bank challenge is past its deadline with nothing settled, in ms; default 10 s. */
  ACTION_SWEEP_EVERY_MS: envPositiveInt(10_000),
  LOG_LEVEL: envLogLevel,
  NODE_ENV: z.string().optional(),
  /** Key ring that opens the SSO tokens sealed by the order worker. Required in production. */
  SSO_TOKEN_KEYS: envTokenKeys,
  /**
   * Key ring the payments' client secrets are derived with, the same on every replica; the first
   * key derives, every key is accepted. Required in production.
   */
  CLIENT_SECRET_KEYS: envClientSecretKeys,
  /**
   * The secrets Billing Gates' webhooks may be signed with, comma-separated, each at least 16
   * characters; every one is accepted, so a secret can be rotated. Required in production; default
   * elsewhere the public development secret the stand-in signs with.
   */
  WEBHOOK_SECRETS: envWebhookSecrets,
  /** Token operators sign in to the live view (/ops) with; at least 16 characters. Required in production. */
  OPS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** OTLP/HTTP collector to send traces to; default none (traces are propagated, not exported). */
  OTEL_EXPORTER_OTLP_ENDPOINT: envOtlpEndpoint,
});

/** The BFF's settings; REDIS_URL is the one Redis address its variables give (lib/redis-connection.ts). */
export type BffConfig = z.infer<typeof Schema> & { REDIS_URL: string };

export function loadConfig(env: NodeJS.ProcessEnv): BffConfig {
  const config = parseEnv(Schema, env);
  return { ...config, REDIS_URL: configuredRedisUrl(config) ?? 'redis://127.0.0.1:6379' };
}
