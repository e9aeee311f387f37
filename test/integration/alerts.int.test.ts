import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicsWithPrefix } from '../../contracts/index.js';
import { freePort } from '../../infra/free-port.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { REPO_ROOT } from '../../scripts/start-config.js';
import { until } from '../support/until.js';
import { pay } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

interface Alert {
  labels: Record<string, string>;
  state: string;
}
interface RuleState {
  name: string;
  health: string;
  lastError?: string;
}

let system: System;
let prometheus: ChildProcess;
let prometheusUrl: string;
let dir: string;

/** What Prometheus answers at `path` of its HTTP API. */
async function api<T>(path: string): Promise<T> {
  const body = (await (await fetch(`${prometheusUrl}/api/v1/${path}`)).json()) as { data: T };
  return body.data;
}
const rules = async () => (await api<{ groups: Array<{ rules: RuleState[] }> }>('rules')).groups.flatMap((group) => group.rules);
const alerts = async () => (await api<{ alerts: Alert[] }>('alerts')).alerts;

/** Prometheus (Debian's `prometheus`, as `npm test` installs it) scraping the processes every second, with deploy/prometheus/alerts.yml. */
beforeAll(async () => {
  system = await startSystem();
  dir = await mkdtemp(join(tmpdir(), 'payflow-prometheus-'));
  const target = (job: string, url: string) => `  - { job_name: ${job}, static_configs: [{ targets: ['${new URL(url).host}'] }] }`;
  await writeFile(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: ['${join(REPO_ROOT, 'deploy/prometheus/alerts.yml')}']`,
      'scrape_configs:',
      target('bff', system.bffUrl),
      target('billing-worker', system.billingWorkerUrl),
      target('order-worker', system.orderWorkerUrl),
    ].join('\n'),
  );
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  await until(async () => (await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined))?.ok === true, 30_000, 250);
});

afterAll(async () => {
  if (prometheus !== undefined && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await system?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the alerts, evaluated by Prometheus on the real processes', () => {
  it('while payments flow, every rule evaluates without error and none fires', async () => {
    await Promise.all(Array.from({ length: 5 }, () => pay(system.bffUrl)));
    // A few evaluations with every target scraped.
    await until(async () => (await api<{ result: unknown[] }>('query?query=up%20%3D%3D%201')).result.length === 3, 30_000, 500);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const states = await rules();
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((rule) => rule.health !== 'ok')).toEqual([]);
    expect(await alerts()).toEqual([]);
  });

  it('a record nobody can read fires PayflowRecordsDeadLettered for its topic, at once', async () => {
    const topic = topicsWithPrefix(system.topicPrefix).paymentsInitiated;
    const producer = createKafka({ clientId: 'alerts-test', brokers: system.kafkaBrokers, logger: createLogger('alerts-test', 'warn') }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'not-a-payment', value: 'not JSON' }] });
    await producer.disconnect();

    await until(async () => (await alerts()).some((alert) => alert.labels['alertname'] === 'PayflowRecordsDeadLettered'), 30_000, 500);
    expect((await alerts()).map(({ labels, state }) => ({ labels, state }))).toEqual([
      { labels: { alertname: 'PayflowRecordsDeadLettered', severity: 'critical', role: 'billing-worker', topic }, state: 'firing' },
    ]);
  });
});
