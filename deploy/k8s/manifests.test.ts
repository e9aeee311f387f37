import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/env.js';
import { parseRedisUrl, sentinelUrl } from '../../lib/redis-connection.js';
import { judgeRedisDurability } from '../../lib/redis-durability.js';
import { loadConfig as loadBffConfig } from '../../server/config.js';
import { MAX_SHUTDOWN_DRAIN_MS } from '../../server/stop-budget.js';
import { loadConfig as loadBillingConfig } from '../../workers/billing/config.js';
import { loadConfig as loadOrderConfig } from '../../workers/order/config.js';
import { renderKustomization, type Manifest } from './render-kustomization.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const REPO = here('../../');

/** What production installs (`deploy/k8s/base`), and the demo with the stand-ins (`deploy/k8s/overlays/demo`). */
const base = renderKustomization(here('base'));
const demo = renderKustomization(here('overlays/demo'));

const findIn = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
};
const find = (kind: string, name: string) => findIn(base, kind, name);
const partitions = Number(find('ConfigMap', 'payflow-config').data?.['TOPIC_PARTITIONS']);

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } };
}

/** The value a Deployment's container gets for `name`: its own, or the ConfigMap key it names. */
function envOf(manifests: Manifest[], deployment: string, name: string): string | undefined {
  const env = findIn(manifests, 'Deployment', deployment).spec.template.spec.containers[0].env as EnvVar[];
  const variable = env.find((e) => e.name === name);
  const ref = variable?.valueFrom?.configMapKeyRef;
  return ref === undefined ? variable?.value : findIn(manifests, 'ConfigMap', ref.name).data?.[ref.key];
}

const STAND_INS = ['billing-gates', 'udi', 'saas-app'];
/** A URL whose host is a stand-in's Service, short or qualified (`udi.payflow.svc`). */
const STAND_IN_URL = new RegExp(`//(${STAND_INS.join('|')})([.:/]|$)`);
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).flatMap(stringsIn) : [];
const kindAndName = (manifests: Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`);

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  depends_on?: Record<string, unknown>;
}
// `merge`: the file shares settings through YAML merge keys (`<<: *payflow`), as Compose reads them.
const compose = parse(readFileSync(`${REPO}docker-compose.yml`, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

/** `dist/server/main.js` runs what `server/main.ts` compiles to. */
const sourceOf = (entry: string) => `${REPO}${entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')}`;

describe('the Kubernetes manifests', () => {
  it('probe the BFF for readiness on /readyz and liveness on /healthz, and drain on SIGTERM', () => {
    const [bff] = find('Deployment', 'bff').spec.template.spec.containers as Array<{
      readinessProbe: { httpGet: { path: string } };
      livenessProbe: { httpGet: { path: string } };
      env: Array<{ name: string; value?: string }>;
    }>;
    expect(bff?.readinessProbe.httpGet.path).toBe('/readyz');
    expect(bff?.livenessProbe.httpGet.path).toBe('/healthz');
    const drainMs = Number(bff?.env.find((e) => e.name === 'SHUTDOWN_DRAIN_MS')?.value);
    expect(drainMs).toBeGreaterThan(0);
    // The drain is part of the 10 s the process has to stop in, not added to it.
    expect(drainMs).toBeLessThanOrEqual(MAX_SHUTDOWN_DRAIN_MS);
  });

  it('keep a shopper on one replica for Socket.IO long-polling, through the Service and the Ingress', () => {
    expect(find('Service', 'bff').spec.sessionAffinity).toBe('ClientIP');
    expect(find('Ingress', 'bff').metadata.annotations?.['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
  });

  it('autoscale the BFF, and the workers no further than the partitions of a topic', () => {
    expect(find('HorizontalPodAutoscaler', 'bff').spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'bff' });
    for (const worker of ['billing-worker', 'order-worker']) {
      const hpa = find('HorizontalPodAutoscaler', worker).spec;
      expect(hpa.scaleTargetRef.name).toBe(worker);
      expect(hpa.maxReplicas).toBeLessThanOrEqual(partitions);
      expect(find('Deployment', worker).spec.replicas).toBeLessThanOrEqual(partitions);
    }
  });

  it('give the BFF, in Kubernetes and in docker-compose, the secrets NODE_ENV=production requires of it', () => {
    const k8s = find('Deployment', 'bff').spec.template.spec.containers[0].env as Array<{ name: string }>;
    const required = ['SSO_TOKEN_KEYS', 'CLIENT_SECRET_KEYS', 'OPS_TOKEN', 'WEBHOOK_SECRETS'];
    expect(k8s.map((e) => e.name)).toEqual(expect.arrayContaining(required));
    expect(Object.keys(compose.services['bff']?.environment ?? {})).toEqual(expect.arrayContaining(required));
  });

  it('give the BFF, in Kubernetes and in docker-compose, a TRUST_PROXY it accepts: no private range a client could speak through', () => {
    const k8s = envOf(base, 'bff', 'TRUST_PROXY');
    const composed = String(compose.services['bff']?.environment?.['TRUST_PROXY']);
    expect(loadBffConfig({ TRUST_PROXY: k8s }).TRUST_PROXY, 'deploy/k8s/base').toBe(1);
    expect(loadBffConfig({ TRUST_PROXY: composed }).TRUST_PROXY, 'docker-compose.yml').toBe(1);
  });

  it('give the BFF, in Kubernetes and in docker-compose, a Redis it finds through three Sentinels, and no REDIS_URL beside them', () => {
    const config = find('ConfigMap', 'payflow-config').data ?? {};
    const bff = compose.services['bff']?.environment ?? {};
    const settings = { 'deploy/k8s/base': config, 'docker-compose.yml': bff };
    for (const [where, env] of Object.entries(settings)) {
      const redisUrl = loadBffConfig({
        REDIS_SENTINELS: env['REDIS_SENTINELS'] as string,
        REDIS_SENTINEL_NAME: env['REDIS_SENTINEL_NAME'] as string,
      }).REDIS_URL;
      expect(parseRedisUrl(redisUrl), where).toMatchObject({ kind: 'sentinel', name: 'payflow', sentinels: expect.any(Array) });
      expect(new Set(redisUrl.split('//')[1]?.split('/')[0]?.split(',')).size, where).toBe(3);
    }
    expect(config['REDIS_URL']).toBeUndefined();
    for (const [name, service] of Object.entries(compose.services)) expect(service.environment?.['REDIS_URL'], name).toBeUndefined();
  });

  it('run entry points that exist, with the demo overlay the same ones as docker-compose.yml', () => {
    const k8sEntries = demo.filter((m) => m.kind === 'Deployment').map((m) => m.spec.template.spec.containers[0].args[0] as string);
    const composeEntries = Object.values(compose.services).flatMap((service) => (service.command?.[0]?.startsWith('dist/') ? [service.command[0]] : []));
    expect(new Set(k8sEntries)).toEqual(new Set(composeEntries));
    for (const entry of k8sEntries) expect(existsSync(sourceOf(entry)), entry).toBe(true);
  });
});

describe('what production installs (deploy/k8s/base)', () => {
  it('holds no stand-in: no Deployment or Service of Billing Gates, Udi or the SaaS app, and no URL naming one', () => {
    const standIns = base.filter((m) => STAND_INS.includes(m.metadata.name));
    expect(kindAndName(standIns)).toEqual([]);
    expect(base.flatMap(stringsIn).filter((value) => STAND_IN_URL.test(value))).toEqual([]);
  });

  it("takes Billing Gates' and Udi's URLs from the operator's ConfigMap, whose placeholders a worker refuses to start with", () => {
    const billingGatesUrl = envOf(base, 'billing-worker', 'BILLING_GATES_URL');
    const udiUrl = envOf(base, 'order-worker', 'UDI_URL');
    expect(billingGatesUrl).toMatch(/^<.*Billing Gates.*>$/);
    expect(udiUrl).toMatch(/^<.*Udi.*>$/);
    expect(() => loadBillingConfig({ BILLING_GATES_URL: billingGatesUrl })).toThrow(ConfigError);
    expect(() => loadBillingConfig({ BILLING_GATES_URL: billingGatesUrl })).toThrow(/^invalid configuration: BILLING_GATES_URL: /);
    expect(() => loadOrderConfig({ UDI_URL: udiUrl })).toThrow(/^invalid configuration: UDI_URL: /);
  });
});

describe('the demo overlay (deploy/k8s/overlays/demo)', () => {
  it('is the base plus a Deployment and a Service for each stand-in, every payflow container on the same image', () => {
    const standIns = STAND_INS.flatMap((name) => [`Deployment/${name}`, `Service/${name}`]);
    expect(new Set(kindAndName(demo))).toEqual(new Set([...kindAndName(base), ...standIns]));
    const images = demo.flatMap((m) => (m.kind === 'Deployment' ? (m.spec.template.spec.containers as Array<{ image: string }>).map((c) => c.image) : []));
    expect(new Set(images)).toEqual(new Set(['payflow:latest']));
    for (const manifest of demo) expect(manifest.metadata.labels?.['app.kubernetes.io/part-of'], kindAndName([manifest])[0]).toBe('payflow');
  });

  it("points the workers at the stand-ins' Services", () => {
    const serviceUrl = (name: string) => `http://${name}:${findIn(demo, 'Service', name).spec.ports[0].port}`;
    expect(envOf(demo, 'billing-worker', 'BILLING_GATES_URL')).toBe(serviceUrl('billing-gates'));
    expect(envOf(demo, 'order-worker', 'UDI_URL')).toBe(serviceUrl('udi'));
    expect(envOf(demo, 'saas-app', 'UDI_URL')).toBe(serviceUrl('udi'));
  });
});

describe('the Kafka cluster of docker-compose.yml', () => {
  const nodes = Object.entries(compose.services).filter(([, service]) => service.image?.startsWith('apache/kafka') === true);
  const env = (service: ComposeService, name: string) => String(service.environment?.[name]);

  it('is three nodes with distinct ids, each its own volume, one cluster id and one quorum naming exactly them', () => {
    expect(nodes).toHaveLength(3);
    const voters = nodes.map(([name, service]) => `${env(service, 'KAFKA_NODE_ID')}@${name}:9093`);
    expect(new Set(voters).size).toBe(3);
    for (const [name, service] of nodes) {
      expect(new Set(env(service, 'KAFKA_CONTROLLER_QUORUM_VOTERS').split(',')), name).toEqual(new Set(voters));
      expect(env(service, 'KAFKA_ADVERTISED_LISTENERS'), name).toBe(`PLAINTEXT://${name}:9092`);
      expect(service.volumes?.[0], name).toMatch(new RegExp(`:${env(service, 'KAFKA_LOG_DIRS')}$`));
    }
    expect(new Set(nodes.map(([, service]) => env(service, 'CLUSTER_ID'))).size).toBe(1);
    expect(new Set(nodes.map(([, service]) => service.volumes?.[0]?.split(':')[0])).size).toBe(3);
  });

  it('keeps internal topics on three replicas, writable with two', () => {
    for (const [name, service] of nodes) {
      expect(env(service, 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR'), name).toBe('3');
      expect(env(service, 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR'), name).toBe('3');
      expect(env(service, 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR'), name).toBe('2');
      expect(env(service, 'KAFKA_MIN_INSYNC_REPLICAS'), name).toBe('2');
    }
  });

  it('is what the BFF and the workers bootstrap from and wait for', () => {
    const brokers = new Set(nodes.map(([name]) => `${name}:9092`));
    const clients = Object.entries(compose.services).filter(([, service]) => /^dist\/(server|workers)\//.test(service.command?.[0] ?? ''));
    expect(clients.length).toBeGreaterThan(0);
    for (const [name, service] of clients) {
      expect(new Set(env(service, 'KAFKA_BROKERS').split(',')), name).toEqual(brokers);
      for (const [node] of nodes) expect(service.depends_on?.[node], `${name} on ${node}`).toEqual({ condition: 'service_healthy' });
    }
  });
});

describe('the Redis of docker-compose.yml', () => {
  /**
   * What a node or Sentinel runs: `sh -c <script> <name> <lines…>`, whose script writes the lines
   * to a configuration file on the first start and runs Redis (or Sentinel) on that file.
   */
  const configOf = (service: ComposeService) => {
    const [shell, flag, script = '', , ...lines] = service.command ?? [];
    return { shell: [shell, flag], script, lines, file: /> (\S+\.conf);/.exec(script)?.[1] ?? '' };
  };
  const setting = (lines: string[], name: string) => lines.find((line) => line.startsWith(`${name} `))?.slice(name.length + 1);
  const redisServices = Object.entries(compose.services).filter(([, service]) => service.image?.startsWith('redis:') === true);
  const sentinels = redisServices.filter(([, service]) => configOf(service).script.endsWith(' --sentinel'));
  const nodes = redisServices.filter((entry) => !sentinels.includes(entry));
  const [primary, ...replicas] = nodes.map(([name]) => name);
  const bffEnv = compose.services['bff']?.environment ?? {};

  it('writes each configuration once, into the volume, and runs on it through the image entry point', () => {
    expect(redisServices).toHaveLength(6);
    for (const [name, service] of redisServices) {
      const { shell, script, file } = configOf(service);
      expect(shell, name).toEqual(['sh', '-c']);
      expect(file, name).toMatch(/^\/data\//);
      expect(script, name).toBe(
        `[ -f ${file} ] || printf "%s\\n" "$$@" > ${file}; exec docker-entrypoint.sh redis-server ${file}${file.endsWith('sentinel.conf') ? ' --sentinel' : ''}`,
      );
      expect(service.volumes, name).toEqual([`${name}-data:/data`]);
    }
  });

  it('is a primary and two replicas, each announcing its service name', () => {
    expect(nodes).toHaveLength(3);
    for (const [name, service] of nodes) {
      const { lines } = configOf(service);
      expect(setting(lines, 'replica-announce-ip'), name).toBe(name);
      expect(setting(lines, 'replicaof'), name).toBe(name === primary ? undefined : `${primary} 6379`);
    }
    expect(replicas).toHaveLength(2);
  });

  it("evicts nothing and keeps its writes on every node, as the BFF's start-time check requires with NODE_ENV=production", () => {
    for (const [name, service] of nodes) {
      const { lines } = configOf(service);
      // A setting left out is Redis' default; save is taken as none, so only appendonly can pass.
      const settings = {
        maxmemoryPolicy: setting(lines, 'maxmemory-policy') ?? 'noeviction',
        appendonly: setting(lines, 'appendonly') ?? 'no',
        save: setting(lines, 'save') ?? '',
      };
      expect(judgeRedisDurability(settings, 'enforce'), name).toEqual({ action: 'start' });
      expect(settings, name).toMatchObject({ maxmemoryPolicy: 'noeviction', appendonly: 'yes' });
    }
  });

  it('has three Sentinels watching the primary by name, under the name the BFF asks for, with a quorum of 2', () => {
    expect(sentinels).toHaveLength(3);
    for (const [name, service] of sentinels) {
      const { lines } = configOf(service);
      const monitor = lines.findIndex((line) => line.startsWith('sentinel monitor '));
      // Read in order: the primary's name resolves only once resolve-hostnames is on.
      expect(lines.indexOf('sentinel resolve-hostnames yes'), name).toBeGreaterThanOrEqual(0);
      expect(lines.indexOf('sentinel resolve-hostnames yes'), name).toBeLessThan(monitor);
      expect(lines, name).toContain('sentinel announce-hostnames yes');
      expect(setting(lines, 'sentinel announce-ip'), name).toBe(name);
      expect(lines[monitor], name).toBe(`sentinel monitor ${String(bffEnv['REDIS_SENTINEL_NAME'])} ${primary} 6379 2`);
      for (const [node] of nodes) expect(service.depends_on?.[node], `${name} on ${node}`).toEqual({ condition: 'service_started' });
    }
  });

  it('is what the BFF finds its primary through, and waits for', () => {
    const ports = sentinels.map(([name, service]) => ({ host: name, port: Number(setting(configOf(service).lines, 'port') ?? 26379) }));
    const redisUrl = loadBffConfig({
      REDIS_SENTINELS: String(bffEnv['REDIS_SENTINELS']),
      REDIS_SENTINEL_NAME: String(bffEnv['REDIS_SENTINEL_NAME']),
    }).REDIS_URL;
    expect(redisUrl).toBe(sentinelUrl(ports, String(bffEnv['REDIS_SENTINEL_NAME'])));
    for (const [name] of sentinels) expect(compose.services['bff']?.depends_on?.[name], name).toEqual({ condition: 'service_healthy' });
  });
});
