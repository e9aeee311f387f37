import { describe, expect, it } from 'vitest';
import { ConfigError } from '../lib/env.js';
import { loadConfig } from './config.js';

describe('BFF configuration', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_TOPIC_PREFIX: '',
      TOPIC_PARTITIONS: 6,
    });
  });

  it('splits a comma-separated broker list', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('reads the Kafka TLS and SASL variables', () => {
    expect(loadConfig({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toMatchObject({
      KAFKA_SSL: true,
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['KAFKA_BROKERS', 'no-port'],
    ['REDIS_URL', 'not a url'],
    ['TOPIC_PARTITIONS', '0'],
    ['KAFKA_SSL', 'yes'],
    ['TRUST_PROXY', 'loopback,uniquelocal'],
    ['TRUST_PROXY', 'lb.internal'],
    ['REDIS_DURABILITY_CHECK', 'off'],
  ])('a bad %s (%s) stops start-up with a line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`^invalid configuration: ${name}: .*got "${value}"`));
  });

  it('a bad CLIENT_SECRET_KEYS stops start-up with a line naming the variable, never its value', () => {
    expect(() => loadConfig({ CLIENT_SECRET_KEYS: 'k1:too-short' })).toThrow(
      /^invalid configuration: CLIENT_SECRET_KEYS: .*\(got a value of 12 characters, not shown\)$/,
    );
  });
});
