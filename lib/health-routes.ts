import { Router } from 'express';
import type { Registry } from 'prom-client';

export type ReadinessCheck = () => Promise<void>;

/** /healthz: the process answers. /readyz: its dependencies answer too. /metrics: Prometheus. */
export function healthRoutes(checks: Record<string, ReadinessCheck>, registry: Registry): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(checks);
    const results = await Promise.allSettled(names.map((name) => withTimeout(checks[name]!(), 2_000)));
    const failing = names.filter((_, i) => results[i]?.status === 'rejected');
    res.status(failing.length === 0 ? 200 : 503).json({ status: failing.length === 0 ? 'ready' : 'not ready', failing });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
