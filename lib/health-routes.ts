import { Router } from 'express';
import type { Registry } from 'prom-client';
import { metricsHandler } from './metrics.js';
import { withTimeout } from './with-timeout.js';

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
  router.get('/metrics', metricsHandler(registry));
  return router;
}
