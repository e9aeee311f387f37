import { describe, expect, it } from 'vitest';
import { ConfigError } from '../lib/env.js';
import { loadStartConfig, scaleOf } from './start-config.js';

describe('npm start configuration', () => {
  it('WORKERS sets both workers unless one is set on its own', () => {
    expect(scaleOf(loadStartConfig({ BFF_REPLICAS: '2', WORKERS: '3', ORDER_WORKERS: '2' }))).toEqual({ bffReplicas: 2, billingWorkers: 3, orderWorkers: 2 });
    expect(scaleOf(loadStartConfig({}))).toEqual({ bffReplicas: 1, billingWorkers: 1, orderWorkers: 1 });
  });

  it('refuses more instances of a worker than partitions per topic, naming TOPIC_PARTITIONS', () => {
    expect(() => loadStartConfig({ BILLING_WORKERS: '8', TOPIC_PARTITIONS: '6' })).toThrow(ConfigError);
    expect(() => loadStartConfig({ BILLING_WORKERS: '8', TOPIC_PARTITIONS: '6' })).toThrow(/^invalid configuration: TOPIC_PARTITIONS: 8 instances/);
    expect(() => loadStartConfig({ WORKERS: '8', TOPIC_PARTITIONS: '8' })).not.toThrow();
  });

  it('refuses a replica count that is not a whole number from 1 to 16', () => {
    expect(() => loadStartConfig({ BFF_REPLICAS: '0' })).toThrow(/BFF_REPLICAS/);
    expect(() => loadStartConfig({ BFF_REPLICAS: 'two' })).toThrow(/BFF_REPLICAS/);
  });

  it('refuses TLS or SASL settings without KAFKA_BROKERS: the local Kafka takes neither', () => {
    expect(() => loadStartConfig({ KAFKA_SASL_MECHANISM: 'plain' })).toThrow(
      /^invalid configuration: KAFKA_SASL_MECHANISM: it is for a Kafka you run, but KAFKA_BROKERS is not set/,
    );
    expect(() => loadStartConfig({ KAFKA_SSL: 'true' })).toThrow(ConfigError);
    expect(() => loadStartConfig({ KAFKA_SSL: 'false' })).not.toThrow();
    expect(() => loadStartConfig({ KAFKA_BROKERS: 'kafka.example:9093', KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain' })).not.toThrow();
  });

  it('REDIS_NODES is 1 by default, up to 5, and a count outside that is refused naming the range', () => {
    expect(loadStartConfig({}).REDIS_NODES).toBe(1);
    expect(loadStartConfig({ REDIS_NODES: '3' })).toMatchObject({ REDIS_NODES: 3, REDIS_PORT: 6379, REDIS_SENTINEL_PORT: 26379 });
    expect(() => loadStartConfig({ REDIS_NODES: '0' })).toThrow(/^invalid configuration: REDIS_NODES: must be 1 \(one Redis\) or 2 to 5 .*\(got "0"\)$/);
    expect(() => loadStartConfig({ REDIS_NODES: '6' })).toThrow(/REDIS_NODES: must be 1 \(one Redis\) or 2 to 5/);
  });

  it('takes a Redis behind Sentinel as a redis+sentinel:// URL or as REDIS_SENTINELS, and refuses both at once', () => {
    expect(loadStartConfig({ REDIS_URL: 'redis+sentinel://10.0.0.5:26379,10.0.0.6:26379/payflow' }).REDIS_URL).toBe(
      'redis+sentinel://10.0.0.5:26379,10.0.0.6:26379/payflow',
    );
    expect(() => loadStartConfig({ REDIS_SENTINELS: '10.0.0.5:26379', REDIS_SENTINEL_NAME: 'payflow' })).not.toThrow();
    expect(() => loadStartConfig({ REDIS_URL: 'redis://10.0.0.5:6379', REDIS_SENTINELS: '10.0.0.5:26379' })).toThrow(ConfigError);
    expect(() => loadStartConfig({ REDIS_URL: 'redis://10.0.0.5:6379', REDIS_SENTINELS: '10.0.0.5:26379' })).toThrow(
      /^invalid configuration: REDIS_URL and REDIS_SENTINELS are both set/,
    );
    expect(() => loadStartConfig({ REDIS_URL: 'http://10.0.0.5' })).toThrow(/^invalid configuration: REDIS_URL: "http:" is not a Redis scheme/);
  });
});
