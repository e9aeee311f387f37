import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLMechanism, SASLOptions } from 'kafkajs';
import { z } from 'zod';
import { ConfigError, unsetIfEmpty } from './env.js';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());

/** The kafkajs mechanisms that take a username and a password (not aws or oauthbearer). */
const PASSWORD_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const satisfies readonly SASLMechanism[];

/**
 * The variables that say how to reach a Kafka that wants TLS and/or SASL, as managed ones do.
 * Every process that talks to Kafka spreads this into its schema and hands what it parsed to
 * kafkaConnection. None of them can fail to parse on a password, so a ConfigError never echoes one.
 */
export const kafkaConnectionEnvShape = {
  /** "true": TLS to the brokers, trusting the system's CAs; default false. */
  KAFKA_SSL: optional(z.enum(['true', 'false']).transform((value) => value === 'true')),
  /** PEM bundle of the private CA that signed the brokers' certificates; implies TLS. Default none. */
  KAFKA_SSL_CA_FILE: optional(z.string()),
  /** How to authenticate; default none. */
  KAFKA_SASL_MECHANISM: optional(z.enum(PASSWORD_MECHANISMS)),
  /** Required with a mechanism; default none. */
  KAFKA_SASL_USERNAME: optional(z.string()),
  /** Required with a mechanism; default none. Never logged. */
  KAFKA_SASL_PASSWORD: optional(z.string()),
};

export type KafkaConnectionEnv = { [K in keyof typeof kafkaConnectionEnvShape]?: z.infer<(typeof kafkaConnectionEnvShape)[K]> };

/** kafkajs' own options for TLS and SASL; none of them set means plaintext without authentication. */
export type KafkaConnection = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/**
 * The kafkajs options for these variables. Reads the CA file now, so a wrong path stops the process
 * at start instead of failing its first connection. Throws a ConfigError for what cannot be meant:
 * a mechanism without its username or password, or a username or password without a mechanism,
 * which kafkajs would silently ignore and the broker's refusal would be the first sign of.
 */
export function kafkaConnection(env: KafkaConnectionEnv): KafkaConnection {
  return { ...tls(env), ...sasl(env) };
}

function tls({ KAFKA_SSL: ssl, KAFKA_SSL_CA_FILE: caFile }: KafkaConnectionEnv): KafkaConnection {
  if (caFile === undefined) return ssl === true ? { ssl: true } : {};
  if (ssl === false) {
    throw new ConfigError(`invalid configuration: KAFKA_SSL: "false" contradicts KAFKA_SSL_CA_FILE (${caFile}), which is only used for TLS; unset one of them`);
  }
  // Node's `ca` replaces the system CAs: a private CA's bundle is all the brokers are checked against.
  return { ssl: { ca: [readCaBundle(caFile)] } };
}

function readCaBundle(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    const why = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new ConfigError(`invalid configuration: KAFKA_SSL_CA_FILE: ${path} cannot be read (${why}); point it at a PEM CA bundle this process can read`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(
      `invalid configuration: KAFKA_SSL_CA_FILE: ${path} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line); point it at the CA bundle in PEM`,
    );
  }
  return pem;
}

function sasl({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password }: KafkaConnectionEnv): KafkaConnection {
  if (mechanism === undefined) {
    const stray = username !== undefined ? 'KAFKA_SASL_USERNAME' : password !== undefined ? 'KAFKA_SASL_PASSWORD' : undefined;
    if (stray === undefined) return {};
    throw new ConfigError(
      `invalid configuration: ${stray}: it is set but KAFKA_SASL_MECHANISM is not, so it would be ignored; set KAFKA_SASL_MECHANISM (plain, scram-sha-256 or scram-sha-512) or unset ${stray}`,
    );
  }
  if (username === undefined) throw missingCredential('KAFKA_SASL_USERNAME', mechanism);
  if (password === undefined) throw missingCredential('KAFKA_SASL_PASSWORD', mechanism);
  // kafkajs types each mechanism's options apart; all of PASSWORD_MECHANISMS take exactly these.
  return { sasl: { mechanism, username, password } as SASLOptions };
}

function missingCredential(name: string, mechanism: string): ConfigError {
  return new ConfigError(`invalid configuration: ${name}: KAFKA_SASL_MECHANISM=${mechanism} needs it, and it is not set`);
}
