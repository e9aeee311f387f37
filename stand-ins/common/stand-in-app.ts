import express, { type Express, type Router } from 'express';
import { Registry } from 'prom-client';
import type { Logger } from '../../lib/logger.js';
import { requestLog } from '../../lib/request-log.js';
import { applyControl } from './control-middleware.js';
import { errorHandler, notFound } from './errors.js';
import { housekeepingRoutes, type ControlEndpoint } from './housekeeping-routes.js';
import type { LedgerReader } from './ledger.js';

export interface StandInAppOptions {
  /** Shown in injected error messages, e.g. "Billing Gates". */
  name: string;
  logger: Logger;
  ledger: LedgerReader;
  control: ControlEndpoint;
  /** The stand-in's own routes; the control state applies to all of them. */
  routes: Router;
  /** Also parse HTML form posts (application/x-www-form-urlencoded). Default false. */
  forms?: boolean;
  /** Source of randomness for errorRate. Default Math.random. */
  random?: () => number;
  /** The registry GET /metrics serves, where a stand-in can add metrics of its own. Default a new one. */
  registry?: Registry;
}

/** An express app with what every stand-in shares around its own routes. */
export function createStandInApp(options: StandInAppOptions): Express {
  const { name, logger, ledger, control, routes } = options;
  // Request durations, unless the stand-in adds its own: the ledger is where its effects are counted.
  const registry = options.registry ?? new Registry();
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog({ logger, registry }));
  app.use(express.json({ limit: '32kb' }));
  if (options.forms === true) app.use(express.urlencoded({ extended: false, limit: '8kb' }));
  app.use(housekeepingRoutes(ledger, control, logger, registry));
  app.use(applyControl(name, control, options.random));
  app.use(routes);
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
