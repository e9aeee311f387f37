import { Router } from 'express';
import { Counter, type Registry } from 'prom-client';
import { metricsHandler } from '../../lib/metrics.js';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import type { BaseControl, ControlUpdate } from './control.js';
import { issueDetails, sendError } from './errors.js';
import type { LedgerReader } from './ledger.js';

/** What the /__control routes need from a control state. */
export interface ControlEndpoint {
  readonly current: Readonly<BaseControl>;
  update(body: unknown): ControlUpdate<BaseControl>;
}

const LedgerQuery = z.object({
  paymentId: z.string().min(1).optional(),
  kind: z.string().min(1).optional(),
});

/**
 * GET /healthz, GET /metrics, GET /__ledger, GET and POST /__control: never delayed, failed or
 * taken down. Calls to the test hooks (/__ledger, /__control) are counted in /metrics, so a run
 * can show which of them it used.
 */
export function housekeepingRoutes(ledger: LedgerReader, control: ControlEndpoint, logger: Logger, registry: Registry): Router {
  const router = Router();
  const hookCalls = new Counter({
    name: 'payflow_stand_in_hook_requests_total',
    help: 'Calls to the test hooks of this stand-in (/__control, /__ledger), by hook and method.',
    labelNames: ['hook', 'method'],
    registers: [registry],
  });
  router.use(['/__control', '/__ledger'], (req, _res, next) => {
    hookCalls.inc({ hook: req.baseUrl === '/__control' ? 'control' : 'ledger', method: req.method });
    next();
  });

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/metrics', metricsHandler(registry));

  router.get('/__ledger', (req, res) => {
    const query = LedgerQuery.safeParse(req.query);
    if (!query.success) {
      sendError(res, 400, 'INVALID_QUERY', 'Filter the ledger with ?paymentId= and/or ?kind=.', issueDetails(query.error));
      return;
    }
    res.json({ entries: ledger.list(query.data) });
  });

  router.get('/__control', (_req, res) => {
    res.json(control.current);
  });

  router.post('/__control', (req, res) => {
    const result = control.update(req.body);
    if (!result.ok) {
      sendError(res, 400, 'INVALID_CONTROL', 'The control update is not valid.', issueDetails(result.error));
      return;
    }
    logger.info({ control: result.control }, 'control changed');
    res.json(result.control);
  });

  return router;
}
