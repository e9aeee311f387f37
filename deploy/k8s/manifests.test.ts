import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const REPO = here('../../');

interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: any;
  data?: Record<string, string>;
}

const manifests: Manifest[] = readdirSync(here('.'))
  .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
  .flatMap((file) => parseAllDocuments(readFileSync(here(file), 'utf8')).map((doc) => doc.toJS() as Manifest));
const find = (kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
};
const partitions = Number(find('ConfigMap', 'payflow-config').data?.['TOPIC_PARTITIONS']);

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
    expect(Number(bff?.env.find((e) => e.name === 'SHUTDOWN_DRAIN_MS')?.value)).toBeGreaterThan(0);
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
    expect(k8s.map((e) => e.name)).toEqual(expect.arrayContaining(['SSO_TOKEN_KEYS', 'OPS_TOKEN']));
    expect(Object.keys(compose.services['bff']?.environment ?? {})).toEqual(expect.arrayContaining(['SSO_TOKEN_KEYS', 'OPS_TOKEN']));
  });

  it('run entry points that exist, as in docker-compose.yml', () => {
    const k8sEntries = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.spec.template.spec.containers[0].args[0] as string);
    const composeEntries = Object.values(compose.services).flatMap((service) => (service.command?.[0]?.startsWith('dist/') ? [service.command[0]] : []));
    expect(new Set(k8sEntries)).toEqual(new Set(composeEntries));
    for (const entry of k8sEntries) expect(existsSync(sourceOf(entry)), entry).toBe(true);
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
