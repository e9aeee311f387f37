import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePorts } from '../../infra/free-port.js';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-kafka.js';
import { parseEnv } from '../../lib/env.js';
import { createEventProducer, createKafka } from '../../lib/kafka.js';
import { kafkaConnection, kafkaConnectionEnvShape } from '../../lib/kafka-connection.js';
import { ensureTopics } from '../../lib/kafka-topics.js';
import { createLogger } from '../../lib/logger.js';
import { startProcess, waitReady } from '../../scripts/run-process.js';
import { REPO_ROOT } from '../../scripts/start-config.js';

// A broker of this file's own: the shared one has no SASL listener.
let kafka: LocalKafka;
let stateDir: string;
let saslBroker: string;
const log = createLogger('test-kafka-sasl', process.env['TEST_LOG_LEVEL'] ?? 'warn');
const USER = 'payflow';
const PASSWORD = 'payflow-secret';
const saslEnv = (password: string) => ({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: USER, KAFKA_SASL_PASSWORD: password });
/** A client of the SASL listener, its connection settings made from variables as a process makes them. */
const saslKafka = (password: string, logger = log) =>
  createKafka({
    clientId: 'kafka-sasl-test',
    brokers: [saslBroker],
    connection: kafkaConnection(parseEnv(z.object(kafkaConnectionEnvShape), saslEnv(password))),
    logger,
  });

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'payflow-sasl-'));
  const [port, controllerPort, saslPort] = (await freePorts(3)) as [number, number, number];
  saslBroker = `127.0.0.1:${saslPort}`;
  kafka = await startLocalKafka({ nodes: [{ port, controllerPort, saslPort }], home: join(stateDir, 'kafka'), saslUsers: { [USER]: PASSWORD }, log });
});

afterAll(async () => {
  await kafka?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('a Kafka that wants SASL PLAIN', () => {
  it('with the right password, payflow creates its topic there, and a record produced with acks=-1 is consumed back', async () => {
    const client = saslKafka(PASSWORD);
    const topic = `sasl-${randomUUID()}`;
    await ensureTopics(client, [topic], { partitions: 1 });

    const producer = createEventProducer(client);
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'through SASL' }] });
    } finally {
      await producer.disconnect();
    }

    const consumer = client.consumer({ groupId: `sasl-${randomUUID()}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const value = await new Promise<string | undefined>((resolve, reject) => {
        consumer.run({ eachMessage: ({ message }) => Promise.resolve(resolve(message.value?.toString())) }).catch(reject);
      });
      expect(value).toBe('through SASL');
    } finally {
      await consumer.disconnect();
    }
  });

  it('with a wrong password, connecting fails within a few seconds with an authentication error', async () => {
    const admin = saslKafka('wrong-password', createLogger('test-kafka-sasl', 'silent')).admin();
    const started = Date.now();
    const error = await admin.connect().then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    await admin.disconnect();
    expect(error?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(error?.message).toMatch(/SASL PLAIN authentication failed: .*Invalid username or password/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a billing worker given KAFKA_BROKERS=<the SASL port> and the SASL variables starts and answers /healthz', async () => {
    const [workerPort] = (await freePorts(1)) as [number];
    const worker = await startProcess(
      { name: 'billing-worker', entry: 'workers/billing/main.ts', port: workerPort, readyPath: '/healthz' },
      {
        ...process.env,
        ...saslEnv(PASSWORD),
        KAFKA_BROKERS: saslBroker,
        KAFKA_TOPIC_PREFIX: `sasl-${randomUUID().slice(0, 8)}.`,
        TOPIC_PARTITIONS: '1',
        PORT: String(workerPort),
        LOG_LEVEL: 'warn',
      },
      REPO_ROOT,
    );
    try {
      await waitReady(worker, log, new Promise(() => {}));
      expect((await fetch(`http://127.0.0.1:${workerPort}/healthz`)).status).toBe(200);
    } finally {
      await worker.stop();
    }
  });
});
