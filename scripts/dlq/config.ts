import { z } from 'zod';
import { envLogLevel, parseEnv } from '../../lib/env.js';
import { kafkaConnection, kafkaConnectionEnvShape, type KafkaConnection } from '../../lib/kafka-connection.js';
import { infraEnvShape } from '../../infra/infra-env.js';

const schema = z.object({
  /** The brokers; unset, the local Kafka `npm start` runs (or reuses) on KAFKA_PORT. */
  KAFKA_BROKERS: infraEnvShape.KAFKA_BROKERS,
  /** The local Kafka's port, as `npm start` reads it; default 9092. */
  KAFKA_PORT: z.coerce.number().int().min(1).max(65535).default(9092),
  ...kafkaConnectionEnvShape,
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** Level of the Kafka client's own log lines on stderr; default silent (the CLI says what failed itself). */
  LOG_LEVEL: envLogLevel.unwrap().default('silent'),
});

export interface DlqConfig {
  brokers: string[];
  /** Where the brokers came from, for the message when none answers. */
  brokersFrom: 'KAFKA_BROKERS' | 'local';
  connection: KafkaConnection;
  topicPrefix: string;
  logLevel: string;
}

/** The CLI's configuration, from the same variables as every process. Throws a ConfigError naming each bad variable. */
export function loadDlqConfig(env: NodeJS.ProcessEnv): DlqConfig {
  const config = parseEnv(schema, env);
  return {
    brokers: config.KAFKA_BROKERS ?? [`127.0.0.1:${config.KAFKA_PORT}`],
    brokersFrom: config.KAFKA_BROKERS === undefined ? 'local' : 'KAFKA_BROKERS',
    connection: kafkaConnection(config),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logLevel: config.LOG_LEVEL,
  };
}
