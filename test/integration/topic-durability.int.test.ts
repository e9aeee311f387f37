import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allTopicNames, topicsWithPrefix } from '../../contracts/index.js';
import { createKafka } from '../../lib/kafka.js';
import { ensureTopics, TOPIC_RESOURCE } from '../../lib/kafka-topics.js';
import { createLogger } from '../../lib/logger.js';
import { REPO_ROOT } from '../../scripts/start-config.js';

const execFileAsync = promisify(execFile);
const logger = createLogger('topic-durability-test', 'warn');
const brokers = inject('kafkaBrokers');
const kafka = createKafka({ clientId: 'topic-durability-test', brokers, logger });
const admin = kafka.admin();

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

/** The fewest replicas any partition of `topic` has, and its min.insync.replicas. */
async function durabilityOf(topic: string): Promise<{ replicas: number; minInsync: number }> {
  const [{ topics }, { resources }] = await Promise.all([
    admin.fetchTopicMetadata({ topics: [topic] }),
    admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['min.insync.replicas'] }] }),
  ]);
  return {
    replicas: Math.min(...topics[0]!.partitions.map((partition) => partition.replicas.length)),
    minInsync: Number(resources[0]!.configEntries[0]!.configValue),
  };
}

describe('the topics payflow creates and the ones it is given', () => {
  it('are created with three replicas and two in sync on a cluster of three or more, one and one on a single broker', async () => {
    const { brokers: cluster } = await admin.describeCluster();
    const topic = `durability-${randomUUID()}`;
    const required = await ensureTopics(kafka, [topic], { partitions: 3 });
    const expected = { replicas: Math.min(3, cluster.length), minInsync: Math.min(2, cluster.length) };
    expect(required).toEqual({ replicationFactor: expected.replicas, minInsyncReplicas: expected.minInsync });
    expect(await durabilityOf(topic)).toEqual(expected);
  });

  it('a worker with NODE_ENV=production refuses to run on topics of one replica, with one line naming a topic', async () => {
    const prefix = `durability-${randomUUID().slice(0, 8)}.`;
    const topics = allTopicNames(topicsWithPrefix(prefix));
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true });

    const run = execFileAsync(process.execPath, ['--import', 'tsx', 'workers/billing/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'production', KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    const failure = (await run.then(
      () => undefined,
      (err: unknown) => err as { code: number; stderr: string },
    ))!;
    expect(failure, 'the worker ran').toBeDefined();
    expect(failure.code).toBe(1);
    const lines = failure.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^billing-worker: topic ${prefix.replace('.', '\\.')}\\S+ has 1 replica\\(s\\) and min\\.insync\\.replicas=\\d \\(and ${topics.length - 1} more topic\\(s\\)\\), below the 3 and 2 `,
      ),
    );
  });
});
