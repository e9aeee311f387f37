import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseEnv } from './env.js';
import { kafkaConnection, kafkaConnectionEnvShape } from './kafka-connection.js';

const fromEnv = (env: NodeJS.ProcessEnv) => kafkaConnection(parseEnv(z.object(kafkaConnectionEnvShape), env));

/** The ConfigError `run` throws; fails the test when it throws nothing or something else. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'payflow-kafka-connection-'));
  await writeFile(join(dir, 'ca.pem'), PEM);
  await writeFile(join(dir, 'not-pem.txt'), 'hello');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('how payflow connects to Kafka', () => {
  it('is plaintext without authentication when nothing is set, or everything is empty', () => {
    expect(fromEnv({})).toEqual({});
    expect(fromEnv({ KAFKA_SSL: '', KAFKA_SSL_CA_FILE: '', KAFKA_SASL_MECHANISM: '', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: '' })).toEqual({});
    expect(fromEnv({ KAFKA_SSL: 'false' })).toEqual({});
  });

  it('with KAFKA_SSL=true, uses TLS with the system CAs', () => {
    expect(fromEnv({ KAFKA_SSL: 'true' })).toEqual({ ssl: true });
  });

  it('refuses a KAFKA_SSL that is neither true nor false', () => {
    expect(configError(() => fromEnv({ KAFKA_SSL: 'yes' })).message).toMatch(/^invalid configuration: KAFKA_SSL: .*got "yes"/);
  });

  it('with a CA file, uses TLS checked against that bundle alone, read at start', () => {
    const ca = join(dir, 'ca.pem');
    expect(fromEnv({ KAFKA_SSL_CA_FILE: ca })).toEqual({ ssl: { ca: [PEM] } });
    expect(fromEnv({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ca })).toEqual({ ssl: { ca: [PEM] } });
  });

  it('refuses a CA file that is missing or holds no certificate, naming the variable and the path', () => {
    const missing = join(dir, 'nope.pem');
    expect(configError(() => fromEnv({ KAFKA_SSL_CA_FILE: missing })).message).toBe(
      `invalid configuration: KAFKA_SSL_CA_FILE: ${missing} cannot be read (ENOENT); point it at a PEM CA bundle this process can read`,
    );
    expect(configError(() => fromEnv({ KAFKA_SSL_CA_FILE: dir })).message).toMatch(/KAFKA_SSL_CA_FILE: .* cannot be read \(EISDIR\)/);
    expect(configError(() => fromEnv({ KAFKA_SSL_CA_FILE: join(dir, 'not-pem.txt') })).message).toMatch(
      /^invalid configuration: KAFKA_SSL_CA_FILE: .*not-pem\.txt holds no PEM certificate/,
    );
  });

  it('refuses KAFKA_SSL=false next to a CA file rather than guess which one was meant', () => {
    expect(configError(() => fromEnv({ KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: join(dir, 'ca.pem') })).message).toMatch(
      /^invalid configuration: KAFKA_SSL: "false" contradicts KAFKA_SSL_CA_FILE/,
    );
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('hands kafkajs the %s mechanism with the username and password', (mechanism) => {
    expect(fromEnv({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'payflow', KAFKA_SASL_PASSWORD: 's3cret' })).toEqual({
      sasl: { mechanism, username: 'payflow', password: 's3cret' },
    });
  });

  it('takes TLS and SASL together', () => {
    expect(fromEnv({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
  });

  it('refuses a mechanism kafkajs is not given here', () => {
    expect(configError(() => fromEnv({ KAFKA_SASL_MECHANISM: 'gssapi' })).message).toMatch(/^invalid configuration: KAFKA_SASL_MECHANISM: .*got "gssapi"/);
  });

  it('refuses a mechanism without its username or password, naming the one missing', () => {
    expect(configError(() => fromEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'p' })).message).toBe(
      'invalid configuration: KAFKA_SASL_USERNAME: KAFKA_SASL_MECHANISM=plain needs it, and it is not set',
    );
    expect(configError(() => fromEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: '' })).message).toBe(
      'invalid configuration: KAFKA_SASL_PASSWORD: KAFKA_SASL_MECHANISM=plain needs it, and it is not set',
    );
  });

  it('refuses a username or password without a mechanism, which would be ignored, and never echoes the password', () => {
    expect(configError(() => fromEnv({ KAFKA_SASL_USERNAME: 'u' })).message).toMatch(
      /^invalid configuration: KAFKA_SASL_USERNAME: it is set but KAFKA_SASL_MECHANISM is not/,
    );
    const error = configError(() => fromEnv({ KAFKA_SASL_PASSWORD: 'hunter2-secret' }));
    expect(error.message).toMatch(/^invalid configuration: KAFKA_SASL_PASSWORD: it is set but KAFKA_SASL_MECHANISM is not/);
    expect(error.message).not.toContain('hunter2-secret');
  });
});
