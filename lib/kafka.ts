import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type Admin,
  type AdminConfig,
  type Consumer,
  type ConsumerConfig,
  type KafkaConfig,
  type LogEntry,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import type { KafkaConnection } from './kafka-connection.js';
import { kafkajsLogLevel } from './kafkajs-log-level.js';
import { fixKafkajsRequestQueue } from './kafkajs-request-queue-fix.js';
import type { Logger } from './logger.js';

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /** Where to count the requests every client of this Kafka sends (payflow_kafka_requests_total); default nowhere. */
  registry?: Registry;
  /** TLS and SASL, as kafkaConnection makes them from KAFKA_SSL* / KAFKA_SASL_*; default plaintext, no authentication. */
  connection?: KafkaConnection;
}

type KafkaClient = 'producer' | 'consumer' | 'admin';

/** Each request a client gets an answer to, by client kind and Kafka API (Fetch, Produce, OffsetCommit, Heartbeat …). */
function requestCounter(registry: Registry): Counter<'client' | 'api'> {
  const name = 'payflow_kafka_requests_total';
  return (
    (registry.getSingleMetric(name) as Counter<'client' | 'api'> | undefined) ??
    new Counter({
      name,
      help: 'Requests sent to Kafka and answered, by client (producer, consumer, admin) and Kafka API.',
      labelNames: ['client', 'api'],
      registers: [registry],
    })
  );
}

/** A kafkajs client whose producers, consumers and admins count their requests. */
class CountingKafka extends Kafka {
  constructor(
    config: KafkaConfig,
    private readonly requests: Counter<'client' | 'api'>,
  ) {
    super(config);
  }

  override producer(config?: ProducerConfig): Producer {
    return this.counted('producer', super.producer(config));
  }

  override consumer(config: ConsumerConfig): Consumer {
    return this.counted('consumer', super.consumer(config));
  }

  override admin(config?: AdminConfig): Admin {
    return this.counted('admin', super.admin(config));
  }

  private counted<C extends Producer | Consumer | Admin>(kind: KafkaClient, client: C): C {
    const { REQUEST } = client.events as { REQUEST: 'producer.network.request' };
    (client as Producer).on(REQUEST, ({ payload }) => this.requests.inc({ client: kind, api: payload.apiName }));
    return client;
  }
}

/**
 * A kafkajs client that fails fast: a broker that does not answer is reported within a few
 * seconds instead of after kafkajs' default retry budget (about 30 s), so the BFF can answer 503.
 */
export function createKafka({ clientId, brokers, logger, registry, connection }: KafkaOptions): Kafka {
  fixKafkajsRequestQueue();
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  const config: KafkaConfig = {
    clientId,
    brokers,
    ...connection,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 },
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        kafkaLogger[kafkajsLogLevel(level, log)](extra, message);
      },
  };
  return registry === undefined ? new Kafka(config) : new CountingKafka(config, requestCounter(registry));
}

/**
 * How every payflow consumer group member keeps its place: a member gone without leaving (killed,
 * or from before a broker restart) holds its partitions this long, and a join waits at most this
 * long for it. kafkajs' default (30 s) kept the BFF from stopping for 20 s after a Kafka restart.
 */
export const GROUP_MEMBERSHIP = { sessionTimeout: 10_000, heartbeatInterval: 3_000 } as const;

/**
 * How a payflow event consumer fetches: a fetch with nothing to bring waits in the broker up to a
 * second (which also bounds how long disconnect() waits for it; kafkajs' default is 5 s), and
 * fetches that bring records are spaced FETCH_INTERVAL_MS apart (lib/fetch-pacer.ts), so each
 * carries what arrived meanwhile. Holding every fetch in the broker for 100 ms instead (minBytes)
 * cost as few fetches under load, but ten a second per consumer when idle: the pipeline idled at
 * 157 ms of CPU a second against 89. It costs each hop up to FETCH_INTERVAL_MS of latency; a
 * payment crosses three.
 */
export const FETCH_INTERVAL_MS = 100;
export const CONSUMER_FETCH = { maxWaitTimeInMs: 1_000 } as const;

/**
 * The producer every process publishes events with: idempotent (the broker drops a batch it
 * already has when a retry resends it) and one request in flight, which kafkajs requires for
 * idempotence. The default (murmur2) partitioner, so a paymentId lands on the same partition as
 * it would from a Java client.
 */
export function createEventProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
}
