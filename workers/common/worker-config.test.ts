import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../lib/env.js';
import { workerEnvSchema } from './worker-config.js';

describe('worker configuration', () => {
  it('reads the Kafka TLS and SASL variables', () => {
    const env = { KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' };
    expect(parseEnv(workerEnvSchema(9101), env)).toMatchObject(env);
    expect(() => parseEnv(workerEnvSchema(9101), { KAFKA_SASL_MECHANISM: 'md5' })).toThrow(/^invalid configuration: KAFKA_SASL_MECHANISM: /);
  });
});
