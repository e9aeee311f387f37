import { describe, expect, it } from 'vitest';
import { ConfigError } from './env.js';
import { requiredDurability } from './kafka-topics.js';

describe('the replication the topics must have', () => {
  it('follows the cluster when nothing is configured: three and two from three brokers, one and one alone', () => {
    expect(requiredDurability({}, 1)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(requiredDurability({}, 2)).toEqual({ replicationFactor: 2, minInsyncReplicas: 2 });
    expect(requiredDurability({}, 3)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(requiredDurability({}, 5)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('is three and two in production, whatever the cluster says', () => {
    expect(requiredDurability({ NODE_ENV: 'production' }, 1)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(requiredDurability({ NODE_ENV: 'production', KAFKA_REPLICATION_FACTOR: 5, KAFKA_MIN_INSYNC_REPLICAS: 3 }, 5)).toEqual({ replicationFactor: 5, minInsyncReplicas: 3 });
  });

  it('takes what is configured, and the in-sync default never exceeds the replicas', () => {
    expect(requiredDurability({ KAFKA_REPLICATION_FACTOR: 1 }, 3)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(requiredDurability({ KAFKA_REPLICATION_FACTOR: 4, KAFKA_MIN_INSYNC_REPLICAS: 3 }, 3)).toEqual({ replicationFactor: 4, minInsyncReplicas: 3 });
  });

  it('refuses less than three and two in production, naming the variables', () => {
    expect(() => requiredDurability({ NODE_ENV: 'production', KAFKA_REPLICATION_FACTOR: 1 }, 3)).toThrow(ConfigError);
    expect(() => requiredDurability({ NODE_ENV: 'production', KAFKA_MIN_INSYNC_REPLICAS: 1 }, 3)).toThrow(/KAFKA_MIN_INSYNC_REPLICAS: NODE_ENV=production requires at least 3 replicas with 2 in sync \(got 3 and 1\)/);
  });

  it('refuses more in-sync replicas than replicas: no write would ever be acknowledged', () => {
    expect(() => requiredDurability({ KAFKA_REPLICATION_FACTOR: 2, KAFKA_MIN_INSYNC_REPLICAS: 3 }, 3)).toThrow(/KAFKA_MIN_INSYNC_REPLICAS: 3 in-sync replicas cannot be had with 2 replicas/);
  });
});
