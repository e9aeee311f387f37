import { Router } from 'express';
import type { Registry } from 'prom-client';
import { metricsHandler } from './metrics.js';
import { checkReadiness, registerReadinessMetrics, type ReadinessChecks } from './readiness.js';

/**
 * /healthz: the process answers. /readyz: its dependencies answer too, and it is not draining.
 * /metrics: Prometheus, with `payflow_ready` and `payflow_dependency_up` from the same checks.
 */
export function healthRoutes(checks: ReadinessChecks, registry: Registry): Router {
  registerReadinessMetrics(registry, checks);
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { failing } = await checkReadiness(checks);
    res.status(failing.length === 0 ? 200 : 503).json({ status: failing.length === 0 ? 'ready' : 'not ready', failing });
  });
  router.get('/metrics', metricsHandler(registry));
  return router;
}
