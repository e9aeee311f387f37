import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../lib/env.js';
import { workerEnvSchema, workerWallClock } from './worker-config.js';

describe('worker configuration', () => {
  it('reads the Kafka TLS and SASL variables', () => {
    const env = { KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' };
    expect(parseEnv(workerEnvSchema(9101), env)).toMatchObject(env);
    expect(() => parseEnv(workerEnvSchema(9101), { KAFKA_SASL_MECHANISM: 'md5' })).toThrow(/^invalid configuration: KAFKA_SASL_MECHANISM: /);
  });

  it('tells the shopper of a failing step after 15 s unless DELAY_NOTICE_AFTER_MS says otherwise, and refuses a threshold that is not a positive number', () => {
    expect(parseEnv(workerEnvSchema(9101), {}).DELAY_NOTICE_AFTER_MS).toBe(15_000);
    expect(parseEnv(workerEnvSchema(9101), { DELAY_NOTICE_AFTER_MS: '3000' }).DELAY_NOTICE_AFTER_MS).toBe(3_000);
    expect(() => parseEnv(workerEnvSchema(9101), { DELAY_NOTICE_AFTER_MS: '0' })).toThrow(/DELAY_NOTICE_AFTER_MS/);
  });

  it('reads the wall clock unshifted unless CLOCK_OFFSET_MS (for tests) shifts it, and refuses a shift with NODE_ENV=production', () => {
    expect(workerWallClock(parseEnv(workerEnvSchema(9101), {}))).toBe(Date.now);
    const ahead = workerWallClock(parseEnv(workerEnvSchema(9101), { CLOCK_OFFSET_MS: '600000' }));
    expect(ahead() - Date.now()).toBeGreaterThanOrEqual(599_000);
    const behind = workerWallClock(parseEnv(workerEnvSchema(9101), { CLOCK_OFFSET_MS: '-600000' }));
    expect(Date.now() - behind()).toBeGreaterThanOrEqual(599_000);
    expect(() => parseEnv(workerEnvSchema(9101), { CLOCK_OFFSET_MS: '1.5' })).toThrow(/^invalid configuration: CLOCK_OFFSET_MS: /);
    expect(() => workerWallClock(parseEnv(workerEnvSchema(9101), { CLOCK_OFFSET_MS: '600000', NODE_ENV: 'production' }))).toThrow(
      /^invalid configuration: CLOCK_OFFSET_MS: .*NODE_ENV=production/,
    );
  });
});
