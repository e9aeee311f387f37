import { describe, expect, it } from 'vitest';
import { ConfigError } from './env.js';
import type { Kafka } from 'kafkajs';
import { ensureTopics, requiredDurability } from './kafka-topics.js';

describe('the replication the topics must have', () => {
  it('follows the cluster when nothing is configured: three and two from three brokers, one and one alone', () => {
    expect(requiredDurability({}, 1)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(requiredDurability({}, 2)).toEqual({ replicationFactor: 2, minInsyncReplicas: 2 });
    expect(requiredDurability({}, 3)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(requiredDurability({}, 5)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('is three and two in production, whatever the cluster says', () => {
    expect(requiredDurability({ NODE_ENV: 'production' }, 1)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(requiredDurability({ NODE_ENV: 'production', KAFKA_REPLICATION_FACTOR: 5, KAFKA_MIN_INSYNC_REPLICAS: 3 }, 5)).toEqual({
      replicationFactor: 5,
      minInsyncReplicas: 3,
    });
  });

  it('takes what is configured, and the in-sync default never exceeds the replicas', () => {
    expect(requiredDurability({ KAFKA_REPLICATION_FACTOR: 1 }, 3)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(requiredDurability({ KAFKA_REPLICATION_FACTOR: 4, KAFKA_MIN_INSYNC_REPLICAS: 3 }, 3)).toEqual({ replicationFactor: 4, minInsyncReplicas: 3 });
  });

  it('refuses less than three and two in production, naming the variables', () => {
    expect(() => requiredDurability({ NODE_ENV: 'production', KAFKA_REPLICATION_FACTOR: 1 }, 3)).toThrow(ConfigError);
    expect(() => requiredDurability({ NODE_ENV: 'production', KAFKA_MIN_INSYNC_REPLICAS: 1 }, 3)).toThrow(
      /KAFKA_MIN_INSYNC_REPLICAS: NODE_ENV=production requires at least 3 replicas with 2 in sync \(got 3 and 1\)/,
    );
  });

  it('refuses more in-sync replicas than replicas: no write would ever be acknowledged', () => {
    expect(() => requiredDurability({ KAFKA_REPLICATION_FACTOR: 2, KAFKA_MIN_INSYNC_REPLICAS: 3 }, 3)).toThrow(
      /KAFKA_MIN_INSYNC_REPLICAS: 3 in-sync replicas cannot be had with 2 replicas/,
    );
  });
});

describe('checking the topics just created', () => {
  /** A broker the controller has not yet told of a new topic answers as kafkajs reports it. */
  const notHostedYet = () =>
    Object.assign(new Error('This server does not host this topic-partition'), { name: 'KafkaJSProtocolError', type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  const partitions = [{ partitionId: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] }];

  /** An admin whose cluster knows `topic`, and whose first `unknownFor` metadata answers come from a broker that does not know it yet. */
  function admin(topic: string, unknownFor: number) {
    let asked = 0;
    return {
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      describeCluster: () => Promise.resolve({ brokers: [{ nodeId: 1 }, { nodeId: 2 }, { nodeId: 3 }] }),
      listTopics: () => Promise.resolve([topic]),
      fetchTopicMetadata: () => (++asked <= unknownFor ? Promise.reject(notHostedYet()) : Promise.resolve({ topics: [{ name: topic, partitions }] })),
      describeConfigs: () =>
        Promise.resolve({ resources: [{ resourceName: topic, configEntries: [{ configName: 'min.insync.replicas', configValue: '2' }] }] }),
      asked: () => asked,
    };
  }

  it('asks again while a broker does not host a topic the cluster has, then checks it', async () => {
    const fake = admin('t.payments.initiated', 2);
    const kafka = { admin: () => fake } as unknown as Kafka;
    await expect(ensureTopics(kafka, ['t.payments.initiated'], { partitions: 6 })).resolves.toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(fake.asked()).toBe(3);
  });

  it('still names any other metadata error at once', async () => {
    const fake = {
      ...admin('t.payments.initiated', 0),
      fetchTopicMetadata: () =>
        Promise.reject(Object.assign(new Error('Not authorized to access topics'), { name: 'KafkaJSProtocolError', type: 'TOPIC_AUTHORIZATION_FAILED' })),
    };
    const kafka = { admin: () => fake } as unknown as Kafka;
    await expect(ensureTopics(kafka, ['t.payments.initiated'], { partitions: 6 })).rejects.toThrow(/Not authorized/);
  });
});
