import type { Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { withTimeout } from './with-timeout.js';

export interface ConsumerLagOptions {
  admin: Admin;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** How long a scrape waits for Kafka before it reports the last figures; default 2 s. */
  timeoutMs?: number;
}

/**
 * `payflow_consumer_lag{group,topic,partition}`: records on each partition that the group has not
 * committed yet (high watermark minus committed offset), asked of Kafka at each scrape. It is the
 * group's lag, so every member of the group reports the same figures.
 */
export function registerConsumerLag(registry: Registry, { admin, groupId, topics, logger, timeoutMs = 2_000 }: ConsumerLagOptions): void {
  new Gauge({
    name: 'payflow_consumer_lag',
    help: 'Records not yet committed by the consumer group, by topic and partition.',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      let lags: Array<{ topic: string; partition: number; lag: number }>;
      try {
        lags = await withTimeout(readLag(admin, groupId, topics), timeoutMs);
      } catch (err) {
        // Kafka being away shows in /readyz and the logs; here the last figures stay.
        logger.debug({ err }, 'consumer lag could not be read');
        return;
      }
      this.reset();
      for (const { topic, partition, lag } of lags) this.set({ group: groupId, topic, partition: String(partition) }, lag);
    },
  });
}

async function readLag(admin: Admin, groupId: string, topics: string[]): Promise<Array<{ topic: string; partition: number; lag: number }>> {
  const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics }), Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)))]);
  return topics.flatMap((topic, i) => {
    const byPartition = new Map(committed.find((entry) => entry.topic === topic)?.partitions.map((p) => [p.partition, Number(p.offset)]));
    return (ends[i] ?? []).map(({ partition, high, low }) => {
      const offset = byPartition.get(partition) ?? -1;
      // Nothing committed yet: the group reads from the beginning (fromBeginning), so all of it is to come.
      const from = offset < 0 ? Number(low) : offset;
      return { topic, partition, lag: Math.max(0, Number(high) - from) };
    });
  });
}
