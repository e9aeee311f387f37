import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { allTopicNames, topicsWithPrefix } from '../contracts/index.js';
import { registerConsumerLag } from '../lib/consumer-lag.js';
import { EventPublisher } from '../lib/event-publisher.js';
import { closeServer, listen } from '../lib/http-server.js';
import { createEventProducer, createKafka } from '../lib/kafka.js';
import { kafkaConnection } from '../lib/kafka-connection.js';
import { ensureTopics } from '../lib/kafka-topics.js';
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';
import { createMetricsRegistry } from '../lib/metrics.js';
import { closeRedis, connectRedis, nodeAddressOf, sentinelOptionsOf } from '../lib/redis-connection.js';
import { sentinelsVouchFor } from '../lib/sentinel-majority.js';
import { checkRedisDurability, redisDurabilityMode } from '../lib/redis-durability.js';
import { tokenCipherFor } from '../lib/token-cipher.js';
import { sleep } from '../lib/sleep.js';
import { withTimeout } from '../lib/with-timeout.js';
import { createApp } from './app.js';
import type { BffConfig } from './config.js';
import { startDeadLetterReader } from './history/dead-letter-reader.js';
import { compileTrustProxy } from './http/trust-proxy.js';
import { HistoryKeys } from './history/history-keys.js';
import { HistoryReader } from './history/history-reader.js';
import { PaymentHistory } from './history/payment-history.js';
import { PaymentLookupService } from './history/payment-lookup.js';
import { registerUnfinishedGauges } from './history/unfinished-gauges.js';
import { createBffMetrics } from './metrics.js';
import { LiveView } from './ops/live-view.js';
import { OpsBoardStore } from './ops/ops-board-store.js';
import { OpsSessions, opsTokenFor } from './ops/ops-session.js';
import { SignedInOperators } from './ops/signed-in-operators.js';
import { clientSecretsFor } from './payments/client-secret.js';
import { PaymentStore } from './payments/payment-store.js';
import { PrimaryWatch } from './payments/primary-watch.js';
import { ReplicaConfirmation, replicaConfirmationSettings } from './payments/replica-confirmation.js';
import { createSocketServer } from './realtime/socket-server.js';
import { createRevealer } from './status/reveal-snapshot.js';
import { startStatusConsumer, statusTopics } from './status/status-consumer.js';
import { ActionDeadlines, startActionSweep } from './status/action-deadlines.js';
import { pushAgainAfterFailover, RecentPushes } from './status/recent-pushes.js';
import { BFF_STOP_BUDGET } from './stop-budget.js';
import { SeenWebhooks } from './webhooks/seen-webhooks.js';
import { webhookSecretsFor } from './webhooks/webhook-secrets.js';

export interface RunningBff {
  port: number;
  stop: () => Promise<void>;
}

/** How long a command of the BFF's own Redis connection may wait for its answer; Redis answers in well under a millisecond. */
const REDIS_COMMAND_TIMEOUT_MS = 2_000;

const WEB_ROOT = fileURLToPath(new URL('../web/dist', import.meta.url));

/** Wires the BFF: Redis, Kafka producer, HTTP API, sockets, status consumer. Stops in reverse order. */
export async function startBff(config: BffConfig, logger: Logger): Promise<RunningBff> {
  // First, as it needs nothing else: a Redis that could drop payments' keys is refused before any other work.
  await checkRedisDurability(config.REDIS_URL, redisDurabilityMode(config), logger);
  const topics = topicsWithPrefix(config.KAFKA_TOPIC_PREFIX);
  const registry = createMetricsRegistry('bff');
  const kafka = createKafka({ clientId: 'payflow-bff', brokers: config.KAFKA_BROKERS, connection: kafkaConnection(config), logger, registry });
  await ensureTopics(kafka, allTopicNames(topics), { partitions: config.TOPIC_PARTITIONS, durability: config });

  // Auto-pipelining: the commands issued in one turn of the event loop go to Redis in one write.
  // Under a burst the POSTs, the status consumer and the sockets issue hundreds of commands per
  // turn, and one socket write each was the BFF's largest single cost (13 % of its CPU in
  // writeUtf8String under `npm run bench -- --scenario burst`).
  const redisOptions = { maxRetriesPerRequest: 2, enableOfflineQueue: true, enableAutoPipelining: true };
  // A Redis that stops answering (frozen, or cut off without a reset) would hold every request
  // and every status handler waiting on it forever: each command gives up after 2 s. Not the
  // adapter's connection, whose stream reads block on purpose.
  const redis = connectRedis(config.REDIS_URL, { ...redisOptions, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  // The adapter's connection waits out a failover instead of failing its commands: a push is
  // made only once its snapshot is stored, and a stream append that gave up after two reconnects
  // (the Sentinels still naming the dead primary) was a push lost to every other replica's pages.
  const adapterRedis = connectRedis(config.REDIS_URL, { ...redisOptions, maxRetriesPerRequest: null });
  // With replicas, the accept path has a connection of its own: its WAIT blocks the connection it
  // is sent on until the replicas answer, and must not hold up the status pushes and the reads.
  const confirmation = replicaConfirmationSettings(config);
  const acceptRedis = confirmation.replicas > 0 ? connectRedis(config.REDIS_URL, { ...redisOptions, commandTimeout: REDIS_COMMAND_TIMEOUT_MS }) : undefined;
  if (acceptRedis !== undefined) logger.info(confirmation, 'the accept path waits for its Redis writes to reach replicas (REDIS_WAIT_REPLICAS)');
  const connections: Array<[string, Redis]> = [
    ['main', redis],
    ['adapter', adapterRedis],
    ...(acceptRedis === undefined ? [] : ([['accept', acceptRedis]] as Array<[string, Redis]>)),
  ];
  // Through Sentinel, the pushes of the last moments before a failover are pushed again after it,
  // and no WAIT is believed while the primary is in doubt (payments/primary-watch.ts).
  const sentinelOptions = sentinelOptionsOf(config.REDIS_URL);
  const pushes = new RecentPushes();
  let pushAgain: (doubtedSince: number) => void = () => undefined;
  const watch =
    sentinelOptions === undefined
      ? undefined
      : new PrimaryWatch({
          connections: connections.map(([, client]) => client),
          pinged: connections.filter(([connection]) => connection !== 'adapter').map(([, client]) => client),
          seesWell: (node) => sentinelsVouchFor(node, sentinelOptions),
          logger,
          onFailedOver: (doubtedSince) => pushAgain(doubtedSince),
        });
  for (const [connection, client] of connections) {
    // Which node each connection serves from, and when it moves: what a failover looked like from
    // here. A loss is told once, not at each of the attempts that follow it.
    let lost = false;
    client.on('error', (err) => {
      if (!lost) logger.warn({ connection, err: err.message }, 'redis connection error');
    });
    client.on('ready', () => {
      lost = false;
      logger.info({ connection, node: nodeAddressOf(client) }, 'redis connection ready');
    });
    client.on('reconnecting', () => {
      if (!lost) logger.warn({ connection }, 'redis connection lost; reconnecting');
      lost = true;
      watch?.distrust(`the ${connection} connection was lost`);
    });
  }

  const publisher = new EventPublisher({ createProducer: () => createEventProducer(kafka), topics, logger });
  await publisher.connect();
  const admin = kafka.admin();
  await admin.connect();

  const { cipher, development } = tokenCipherFor(config.SSO_TOKEN_KEYS, config.NODE_ENV);
  if (development) logger.warn('SSO_TOKEN_KEYS is not set: opening SSO tokens with the public development key');
  const reveal = createRevealer(cipher, logger);
  const clientSecrets = clientSecretsFor(config.CLIENT_SECRET_KEYS, config.NODE_ENV);
  if (clientSecrets.development) logger.warn('CLIENT_SECRET_KEYS is not set: deriving client secrets with the public development key');
  const { secrets } = clientSecrets;
  const webhookSecrets = webhookSecretsFor(config.WEBHOOK_SECRETS, config.NODE_ENV);
  if (webhookSecrets.development) logger.warn("WEBHOOK_SECRETS is not set: taking Billing Gates' webhooks signed with the public development secret");
  let draining = false;
  const metrics = createBffMetrics(registry);
  const payments = new PaymentStore(redis, config.PAYMENT_TTL_SECONDS);
  const historyKeys = new HistoryKeys(config.KAFKA_TOPIC_PREFIX);
  const deadlines = new ActionDeadlines(redis, config.KAFKA_TOPIC_PREFIX, historyKeys);
  const statusGroupId = `${config.KAFKA_TOPIC_PREFIX}payflow-bff-status`;
  registerConsumerLag(registry, { admin, groupId: statusGroupId, topics: statusTopics(topics), logger });
  const ops = opsTokenFor(config.OPS_TOKEN, config.NODE_ENV);
  if (ops.development) logger.warn('OPS_TOKEN is not set: the live view (/ops) takes the public development token');
  const opsSessions = new OpsSessions(ops.token);
  const operators = new SignedInOperators(opsSessions, redis, config.KAFKA_TOPIC_PREFIX);
  const liveView = new LiveView(new OpsBoardStore(redis, config.KAFKA_TOPIC_PREFIX), operators, logger);
  const history = new PaymentHistory(redis, historyKeys, { ttlSeconds: config.PAYMENT_HISTORY_TTL_SECONDS }, logger);
  const historyReader = new HistoryReader(redis, historyKeys, config.PAYMENT_HISTORY_TTL_SECONDS);
  registerUnfinishedGauges(registry, historyReader, logger);
  const trustProxy = compileTrustProxy(config.TRUST_PROXY);
  const app = createApp({
    redis,
    payments,
    secrets,
    publisher,
    logger,
    registry,
    metrics,
    readiness: {
      dependencies: {
        redis: async () => void (await redis.ping()),
        kafka: async () => void (await admin.describeCluster()),
      },
      // Fails from the moment the replica is asked to stop, so the load balancer routes elsewhere.
      conditions: { accepting: () => (draining ? Promise.reject(new Error('draining')) : Promise.resolve()) },
    },
    rateLimitPerMinute: config.PAYMENT_RATE_LIMIT_PER_MINUTE,
    rateLimitScope: config.KAFKA_TOPIC_PREFIX,
    trustProxy,
    webRoot: WEB_ROOT,
    signInOrigin: new URL(config.SAAS_APP_URL).origin,
    reveal,
    liveView,
    opsSessions,
    operators,
    history,
    lookup: new PaymentLookupService(historyReader, payments),
    webhooks: { secrets: webhookSecrets.secrets, seen: new SeenWebhooks(redis, config.KAFKA_TOPIC_PREFIX, 'billing-gates') },
    ...(acceptRedis === undefined ? {} : { acceptPath: { redis: acceptRedis, confirmation: new ReplicaConfirmation(acceptRedis, confirmation, watch) } }),
  });
  const httpServer = createServer(app);
  const io = createSocketServer(httpServer, {
    payments,
    secrets,
    adapterRedis,
    keyPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
    metrics,
    reveal,
    redis,
    handshakesPerMinute: config.SOCKET_HANDSHAKES_PER_MINUTE,
    trustProxy,
    rateLimitScope: config.KAFKA_TOPIC_PREFIX,
    extraOrigins: config.ALLOWED_ORIGINS,
  });
  liveView.attach(io);
  pushAgain = (doubtedSince) => void pushAgainAfterFailover({ pushes, payments, io, logger }, doubtedSince);
  // The two groups join side by side: a replica joining a group waits for its other members to
  // rejoin (up to a heartbeat, 3 s), and one join after the other made it wait twice.
  const [statusConsumer, deadLetterReader] = await Promise.all([
    startStatusConsumer({
      kafka,
      deadLetters: publisher,
      topics,
      groupId: statusGroupId,
      payments,
      io,
      signInLandingUrl: new URL('/sso', config.SAAS_APP_URL).toString(),
      logger,
      metrics,
      liveView,
      history,
      concurrency: config.TOPIC_PARTITIONS,
      drainMs: BFF_STOP_BUDGET.handlersMs,
      ...(confirmation.replicas > 0 ? { confirmation: new ReplicaConfirmation(redis, confirmation, watch) } : {}),
      ...(watch === undefined ? {} : { pushes }),
      deadlines,
    }),
    startDeadLetterReader({ kafka, topics, groupId: `${config.KAFKA_TOPIC_PREFIX}payflow-bff-dead-letters`, history, liveView, logger }),
  ]);
  const actionSweep = startActionSweep({
    deadlines,
    payments,
    publish: (event) => publisher.publish(event),
    recorded: (event) => history.eventPublished(event),
    logger,
    everyMs: config.ACTION_SWEEP_EVERY_MS,
  });
  const { port } = await listen(httpServer, config.PORT, config.HOST);
  logger.info({ port }, 'BFF listening');

  return {
    port,
    // Each phase within its share of the 10 s stop limit (server/stop-budget.ts).
    async stop() {
      // /readyz answers 503 from now on; for SHUTDOWN_DRAIN_MS the replica still serves while
      // the load balancer notices and routes new work elsewhere.
      draining = true;
      await sleep(config.SHUTDOWN_DRAIN_MS);
      const requests = async () => {
        // No new connections from here on; requests in flight finish (the producer is still up).
        const closed = closeServer(httpServer, { forceAfterMs: BFF_STOP_BUDGET.requestsMs });
        // Each socket is closed as "server shutting down": its session is kept in Redis and its
        // client reconnects at once, through the load balancer, to a replica that resumes it.
        await io.close();
        await closed;
      };
      // The consumers need neither the listener nor the sockets, so they stop side by side with them.
      const consumers = () => Promise.all([statusConsumer.stop(), deadLetterReader.stop(), actionSweep.stop()]);
      await withinBudget(Promise.all([requests(), consumers()]), BFF_STOP_BUDGET.inFlightMs, 'requests and consumers in flight', logger);
      liveView.close();
      await withinBudget(
        Promise.all([liveView.flush(), history.flush(), publisher.disconnect().then(() => admin.disconnect())]),
        BFF_STOP_BUDGET.closingMs,
        'last writes and Kafka disconnects',
        logger,
      );
      watch?.stop();
      await Promise.all([redis, adapterRedis, ...(acceptRedis === undefined ? [] : [acceptRedis])].map(closeRedis));
    },
  };
}

/** Waits for a phase of the stop for at most its budget; past it the stop goes on, and says so. */
async function withinBudget(phase: Promise<unknown>, budgetMs: number, what: string, logger: Logger): Promise<void> {
  await withTimeout(phase, budgetMs).catch((err: unknown) =>
    logger.warn({ err, budgetMs }, `stopping: ${what} did not finish within their share of the stop; going on`),
  );
}
