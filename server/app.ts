import { existsSync } from 'node:fs';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { EventPublisher } from '../lib/event-publisher.js';
import { healthRoutes, type ReadinessCheck } from '../lib/health-routes.js';
import type { Logger } from '../lib/logger.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { paymentsRoutes } from './http/payments-routes.js';
import { plansRoutes } from './http/plans-routes.js';
import { rateLimitPerMinute } from './http/rate-limit.js';
import type { BffMetrics } from './metrics.js';
import { IdempotencyStore } from './payments/idempotency-store.js';
import type { PaymentStore } from './payments/payment-store.js';

export interface AppDeps {
  redis: Redis;
  payments: PaymentStore;
  publisher: EventPublisher;
  logger: Logger;
  registry: Registry;
  metrics: BffMetrics;
  readiness: Record<string, ReadinessCheck>;
  rateLimitPerMinute: number;
  /** The built checkout page (web/dist), served at `/` when present. */
  webRoot: string;
}

/** The BFF's HTTP API and page. Sockets are attached to the same server by realtime/. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // One hop: the load balancer in front of the replicas, so req.ip is the shopper's address.
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '16kb' }));

  app.use(healthRoutes(deps.readiness, deps.registry));
  app.use(plansRoutes());
  app.use(
    paymentsRoutes({
      payments: deps.payments,
      idempotency: new IdempotencyStore(deps.redis, 24 * 3600),
      publisher: deps.publisher,
      logger: deps.logger,
      rateLimit: rateLimitPerMinute(deps.redis, deps.rateLimitPerMinute, 'payments'),
      onAccepted: () => deps.metrics.paymentsAccepted.inc(),
    }),
  );
  if (existsSync(deps.webRoot)) app.use(express.static(deps.webRoot, { index: 'index.html' }));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
