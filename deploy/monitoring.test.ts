import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { promtool } from './prometheus/promtool.js';
import { isRegistered, metricsInQuery, registeredMetricNames } from './registered-metrics.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const REPO = here('../');
const readYaml = <T>(path: string) => parse(readFileSync(here(path), 'utf8'), { merge: true }) as T;

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: Array<{ expr: string }>;
}
interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
}
interface ScrapeJob {
  job_name: string;
  dns_sd_configs?: Array<{ names: string[]; port: number }>;
  static_configs?: Array<{ targets: string[] }>;
}

const dashboard = JSON.parse(readFileSync(here('grafana/dashboards/payflow.json'), 'utf8')) as { uid: string; panels: Panel[] };
const queried = dashboard.panels.filter((panel) => panel.type !== 'row');
const compose = readYaml<{ services: Record<string, ComposeService> }>('../docker-compose.yml');
const scrape = readYaml<{ rule_files: string[]; scrape_configs: ScrapeJob[] }>('prometheus/prometheus.yml');
const datasources = readYaml<{ datasources: Array<{ uid: string; url: string }> }>('grafana/provisioning/datasources/prometheus.yml');
const providers = readYaml<{ providers: Array<{ options: { path: string } }> }>('grafana/provisioning/dashboards/payflow.yml');

/** `./deploy/x:/etc/y:ro` → the container path `/etc/y` of the host path `./deploy/x`. */
function mountOf(service: ComposeService | undefined, hostPath: string): string | undefined {
  return service?.volumes?.map((volume) => volume.split(':')).find(([host]) => host === hostPath)?.[1];
}

describe('the Grafana dashboard (deploy/grafana/dashboards/payflow.json)', () => {
  it('has panels with queries, every one on the provisioned Prometheus', () => {
    expect(queried.length).toBeGreaterThan(0);
    const uids = new Set(datasources.datasources.map((source) => source.uid));
    for (const panel of queried) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      expect(uids, panel.title).toContain(panel.datasource?.uid);
    }
  });

  it('asks only queries Prometheus parses (promtool checks each as a recording rule)', () => {
    const exprs = queried.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    const dir = mkdtempSync(join(tmpdir(), 'payflow-dashboard-'));
    try {
      writeFileSync(
        join(dir, 'queries.yml'),
        stringify({ groups: [{ name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] }),
      );
      const { status, output } = promtool(dir, 'check', 'rules', 'queries.yml');
      expect(status, output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads only metrics the code registers', () => {
    const registered = registeredMetricNames(REPO);
    const used = queried.flatMap((panel) => (panel.targets ?? []).flatMap((target) => metricsInQuery(target.expr)));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !isRegistered(name, registered))).toEqual([]);
  });

  it('shows the flow, latency to each status, lag, dead letters, 5xx and unfinished payments', () => {
    const used = new Set(queried.flatMap((panel) => (panel.targets ?? []).flatMap((target) => metricsInQuery(target.expr))));
    for (const metric of [
      'payflow_payments_accepted_total',
      'payflow_payment_status_changes_total',
      'payflow_events_handled_total',
      'payflow_payment_seconds_to_status_bucket',
      'payflow_consumer_lag',
      'payflow_dead_lettered_total',
      'payflow_http_request_seconds_count',
      'payflow_payments_unfinished_oldest_seconds',
    ]) {
      expect(used, metric).toContain(metric);
    }
  });
});

describe('Prometheus and Grafana in docker-compose.yml', () => {
  const prometheus = Object.values(compose.services).find((service) => service.image?.startsWith('prom/prometheus:'));
  const grafana = Object.values(compose.services).find((service) => service.image?.startsWith('grafana/grafana:'));

  it('runs Prometheus with the scrape configuration and the alerts where the configuration loads them', () => {
    expect(mountOf(prometheus, './deploy/prometheus/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    expect(scrape.rule_files).toContain(mountOf(prometheus, './deploy/prometheus/alerts.yml'));
  });

  it('runs Grafana with the provisioning and the dashboards where the provisioning looks for them', () => {
    expect(mountOf(grafana, './deploy/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    expect(providers.providers.map((provider) => provider.options.path)).toContain(mountOf(grafana, './deploy/grafana/dashboards'));
    const prometheusName = Object.entries(compose.services).find(([, service]) => service === prometheus)?.[0];
    expect(datasources.datasources.map((source) => source.url)).toContain(`http://${prometheusName}:9090`);
  });

  it('scrapes every payflow process and stand-in on the port it listens on', () => {
    const targets = new Set(
      scrape.scrape_configs.flatMap((job) => [
        ...(job.dns_sd_configs ?? []).flatMap((sd) => sd.names.map((name) => `${name}:${sd.port}`)),
        ...(job.static_configs ?? []).flatMap((config) => config.targets),
      ]),
    );
    const processes = Object.entries(compose.services).filter(([, service]) => service.command?.[0]?.startsWith('dist/') === true);
    expect(processes.length).toBeGreaterThan(0);
    for (const [name, service] of processes) expect(targets, name).toContain(`${name}:${service.environment?.['PORT']}`);
  });

  it('names the jobs of the BFF and the workers after their roles, as the alerts match them', () => {
    const jobs = new Map(scrape.scrape_configs.map((job) => [job.job_name, job.dns_sd_configs?.[0]?.names ?? []]));
    for (const role of ['bff', 'billing-worker', 'order-worker']) expect(jobs.get(role), role).toEqual([role]);
  });
});
