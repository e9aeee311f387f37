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

  it('run entry points that exist, as in docker-compose.yml', () => {
    const k8sEntries = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.spec.template.spec.containers[0].args[0] as string);
    const compose = parse(readFileSync(`${REPO}docker-compose.yml`, 'utf8')) as { services: Record<string, { command?: string[] }> };
    const composeEntries = Object.values(compose.services).flatMap((service) => (service.command?.[0]?.startsWith('dist/') ? [service.command[0]] : []));
    expect(new Set(k8sEntries)).toEqual(new Set(composeEntries));
    for (const entry of k8sEntries) expect(existsSync(sourceOf(entry)), entry).toBe(true);
  });
});
