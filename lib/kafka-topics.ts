import type { Admin, ConfigResourceTypes, ITopicConfig, Kafka } from 'kafkajs';
import { z } from 'zod';
import { ConfigError } from './env.js';
import { sleep } from './sleep.js';

/**
 * How many copies of every record the topics keep, and how many must hold a record before an
 * acks=-1 producer is answered (and so before the BFF answers 202).
 */
export interface TopicDurability {
  replicationFactor: number;
  minInsyncReplicas: number;
}

/** ConfigResourceTypes.TOPIC: kafkajs' CommonJS build does not give ES modules the enum itself. */
export const TOPIC_RESOURCE = 2 as ConfigResourceTypes.TOPIC;

/** What production runs, and what NODE_ENV=production requires at least: three replicas, two in sync. */
export const PRODUCTION_DURABILITY: TopicDurability = { replicationFactor: 3, minInsyncReplicas: 2 };

/** The variables every process that uses the topics reads. */
export const topicDurabilityEnvShape = {
  /** Replicas of each topic created, and the fewest an existing topic may have; default 3 in production, else min(3, brokers). */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(16).optional(),
  /** min.insync.replicas of each topic created, and the fewest an existing topic may have; default 2 in production, else min(2, replication factor). */
  KAFKA_MIN_INSYNC_REPLICAS: z.coerce.number().int().min(1).max(16).optional(),
  NODE_ENV: z.string().optional(),
};

export type TopicDurabilityConfig = { [K in keyof typeof topicDurabilityEnvShape]?: z.infer<(typeof topicDurabilityEnvShape)[K]> };

/**
 * What this configuration requires of the topics, on a cluster of `brokers` brokers. Unset, a
 * cluster of three or more gets three replicas with two in sync, one broker alone one and one;
 * NODE_ENV=production requires three and two whatever the cluster.
 */
export function requiredDurability(config: TopicDurabilityConfig, brokers: number): TopicDurability {
  const production = config.NODE_ENV === 'production';
  const replicationFactor = config.KAFKA_REPLICATION_FACTOR ?? (production ? PRODUCTION_DURABILITY.replicationFactor : Math.max(1, Math.min(3, brokers)));
  const minInsyncReplicas = config.KAFKA_MIN_INSYNC_REPLICAS ?? (production ? PRODUCTION_DURABILITY.minInsyncReplicas : Math.min(2, replicationFactor));
  if (production && (replicationFactor < PRODUCTION_DURABILITY.replicationFactor || minInsyncReplicas < PRODUCTION_DURABILITY.minInsyncReplicas)) {
    throw new ConfigError(
      `invalid configuration: KAFKA_REPLICATION_FACTOR / KAFKA_MIN_INSYNC_REPLICAS: NODE_ENV=production requires at least ${PRODUCTION_DURABILITY.replicationFactor} replicas with ${PRODUCTION_DURABILITY.minInsyncReplicas} in sync (got ${replicationFactor} and ${minInsyncReplicas})`,
    );
  }
  if (minInsyncReplicas > replicationFactor) {
    throw new ConfigError(
      `invalid configuration: KAFKA_MIN_INSYNC_REPLICAS: ${minInsyncReplicas} in-sync replicas cannot be had with ${replicationFactor} replicas (KAFKA_REPLICATION_FACTOR); no write would ever be acknowledged`,
    );
  }
  return { replicationFactor, minInsyncReplicas };
}

/** A topic this process uses keeps fewer copies than its configuration requires: the 202 would promise more than Kafka keeps. */
export class TopicDurabilityError extends ConfigError {
  constructor(message: string) {
    super(message, 'TOPIC_UNDER_REPLICATED');
  }
}

export interface EnsureTopicsOptions {
  /** Partitions of each topic created; a topic that exists keeps its own. */
  partitions: number;
  /** NODE_ENV and the replication variables; unset, the defaults for the cluster's size. */
  durability?: TopicDurabilityConfig;
}

/**
 * Creates the topics that do not exist yet, with the replication the configuration requires, and
 * then checks every one of them, new or old: a topic below that replication makes this throw a
 * TopicDurabilityError naming it, and the process refuses to run. Returns what was required.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], { partitions, durability = {} }: EnsureTopicsOptions): Promise<TopicDurability> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const required = requiredDurability(durability, brokers.length);
    await createMissing(admin, topics, partitions, required, brokers.length);
    await checkDurability(admin, topics, required);
    return required;
  } finally {
    await admin.disconnect();
  }
}

async function createMissing(admin: Admin, topics: string[], partitions: number, required: TopicDurability, brokers: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length === 0) return;
  if (required.replicationFactor > brokers) {
    throw new TopicDurabilityError(
      `topic ${missing[0]} cannot be created with ${required.replicationFactor} replicas: the Kafka cluster has ${brokers} broker(s) up; point KAFKA_BROKERS at a cluster of ${required.replicationFactor} or more, or start the brokers that are down`,
    );
  }
  await createTopicsServed(admin, {
    topics: missing.map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor: required.replicationFactor,
      configEntries: [{ name: 'min.insync.replicas', value: String(required.minInsyncReplicas) }],
    })),
  });
}

/** How long new topics may take to be served with a leader for every partition by the broker asked. */
const TOPICS_SERVED_WITHIN_MS = 30_000;

type TopicMetadata = Awaited<ReturnType<Admin['fetchTopicMetadata']>>;

/**
 * Creates topics and resolves once the broker asked serves a leader for each of their partitions.
 * kafkajs' own `waitForLeaders` retries only "leader not available": on a cluster, a broker the
 * controller has not told of the topic yet answers "does not host this topic-partition", and the
 * create failed although it had worked. createTopics answers false (not an error) when another
 * process created them first.
 */
export async function createTopicsServed(admin: Admin, options: { topics: ITopicConfig[] }): Promise<void> {
  await admin.createTopics({ ...options, waitForLeaders: false });
  await askMetadata(
    admin,
    options.topics.map(({ topic }) => topic),
    {
      retry: () => true,
      served: {
        check: ({ topics }) => topics.every(({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0)),
        awaited: 'leader for every partition',
      },
    },
  );
}

/** kafkajs' answer from a broker that does not (yet) know a topic: its `type`, which kafkajs' own metadata retries bail on. */
function notHostedHere(err: unknown): boolean {
  return err instanceof Error && (err as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION';
}

/**
 * The topics' metadata, asked again while the broker answering does not host them yet. Each request
 * may go to any broker, and createTopicsServed knows only that the one it asked serves them: on a
 * cluster, the next request (this check, right after the create) met a broker the controller had
 * not told yet, and a process failed to start on topics that existed.
 */
function metadataOnceHosted(admin: Admin, topics: string[]): Promise<TopicMetadata> {
  return askMetadata(admin, topics, { retry: notHostedHere });
}

/**
 * Asks the topics' metadata every 100 ms for up to TOPICS_SERVED_WITHIN_MS: again after an error
 * `retry` accepts (any other is thrown at once, and the last one at the deadline), and, with
 * `served`, again until an answer passes its check.
 */
async function askMetadata(
  admin: Admin,
  topics: string[],
  { retry, served }: { retry: (err: unknown) => boolean; served?: { check: (metadata: TopicMetadata) => boolean; awaited: string } },
): Promise<TopicMetadata> {
  const deadline = performance.now() + TOPICS_SERVED_WITHIN_MS;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      if (served === undefined || served.check(metadata)) return metadata;
    } catch (err) {
      if (!retry(err) || performance.now() > deadline) throw err;
    }
    if (performance.now() > deadline)
      throw new Error(`topics ${topics.join(', ')} had no ${served?.awaited ?? 'answer'} within ${TOPICS_SERVED_WITHIN_MS / 1000} s`);
    await sleep(100);
  }
}

/** Throws naming the first topic whose replicas or min.insync.replicas are below `required`. */
async function checkDurability(admin: Admin, topics: string[], required: TopicDurability): Promise<void> {
  const [{ topics: metadata }, { resources }] = await Promise.all([
    metadataOnceHosted(admin, topics),
    admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: TOPIC_RESOURCE, name, configNames: ['min.insync.replicas'] })),
    }),
  ]);
  const minInsync = new Map(
    resources.map(({ resourceName, configEntries }) => [
      resourceName,
      Number(configEntries.find((entry) => entry.configName === 'min.insync.replicas')?.configValue ?? 1),
    ]),
  );
  const short = metadata.flatMap(({ name, partitions }) => {
    const replicas = Math.min(...partitions.map((partition) => partition.replicas.length));
    const inSync = minInsync.get(name) ?? 1;
    return replicas < required.replicationFactor || inSync < required.minInsyncReplicas ? [{ name, replicas, inSync }] : [];
  });
  const first = short[0];
  if (first === undefined) return;
  const others = short.length > 1 ? ` (and ${short.length - 1} more topic(s))` : '';
  throw new TopicDurabilityError(
    `topic ${first.name} has ${first.replicas} replica(s) and min.insync.replicas=${first.inSync}${others}, below the ${required.replicationFactor} and ${required.minInsyncReplicas} this configuration requires (KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS, NODE_ENV=production): a 202 would not mean the payment is on ${required.minInsyncReplicas} broker(s). Raise them with kafka-reassign-partitions and kafka-configs, or recreate the topics`,
  );
}

/** How many partitions each of `topics` has. */
export async function partitionCounts(kafka: Kafka, topics: string[]): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await metadataOnceHosted(admin, topics);
    return new Map(metadata.topics.map(({ name, partitions }) => [name, partitions.length]));
  } finally {
    await admin.disconnect();
  }
}
