import { existsSync } from 'node:fs';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { EventPublisher } from '../lib/event-publisher.js';
import { healthRoutes } from '../lib/health-routes.js';
import type { Logger } from '../lib/logger.js';
import type { ReadinessChecks } from '../lib/readiness.js';
import { requestLog } from '../lib/request-log.js';
import { apiDocsRoutes } from './http/api-docs-routes.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { methodNotAllowed } from './http/method-not-allowed.js';
import { openApiDocument } from './http/openapi.js';
import { paymentsRoutes } from './http/payments-routes.js';
import { plansRoutes } from './http/plans-routes.js';
import { rateLimitPerMinute } from './http/rate-limit.js';
import type { TrustProxy } from './http/trust-proxy.js';
import type { PaymentHistory } from './history/payment-history.js';
import type { PaymentLookupService } from './history/payment-lookup.js';
import type { BffMetrics } from './metrics.js';
import { lookupRoutes } from './ops/lookup-routes.js';
import { refundedByHandRoutes } from './ops/refunded-by-hand-routes.js';
import type { LiveView } from './ops/live-view.js';
import { opsRoutes } from './ops/ops-routes.js';
import type { OpsSessions } from './ops/ops-session.js';
import type { SignedInOperators } from './ops/signed-in-operators.js';
import type { ClientSecrets } from './payments/client-secret.js';
import { IdempotencyStore } from './payments/idempotency-store.js';
import { PaymentIntake } from './payments/payment-intake.js';
import type { PaymentStore } from './payments/payment-store.js';
import type { ReplicaConfirmation } from './payments/replica-confirmation.js';
import type { RevealSnapshot } from './status/reveal-snapshot.js';
import { billingGatesWebhookRoutes } from './webhooks/billing-gates-webhook-routes.js';
import type { SeenWebhooks } from './webhooks/seen-webhooks.js';

export interface AppDeps {
  redis: Redis;
  payments: PaymentStore;
  secrets: ClientSecrets;
  publisher: EventPublisher;
  logger: Logger;
  registry: Registry;
  metrics: BffMetrics;
  readiness: ReadinessChecks;
  rateLimitPerMinute: number;
  /** Names this deployment's counters in Redis (its topic prefix), so deployments sharing a Redis count apart. */
  rateLimitScope: string;
  /** Which hops' X-Forwarded-For to believe (TRUST_PROXY), so req.ip is the shopper's address. */
  trustProxy: TrustProxy;
  /** The built checkout page (web/dist), served at `/` when present. */
  webRoot: string;
  /** Origin of the SaaS app, the one place the page may post a form to (the SSO token). */
  signInOrigin: string;
  reveal: RevealSnapshot;
  liveView: LiveView;
  opsSessions: OpsSessions;
  operators: SignedInOperators;
  history: PaymentHistory;
  lookup: PaymentLookupService;
  /**
   * When Redis has replicas: the accept path's own connection, and the WAIT on it that puts its
   * writes on replicas before the publish (payments/replica-confirmation.ts). Absent, the accept
   * path shares `redis` and waits for nothing.
   */
  acceptPath?: { redis: Redis; confirmation: ReplicaConfirmation };
  /** Billing Gates' webhooks: the secrets they may be signed with (WEBHOOK_SECRETS), and the ids already published. */
  webhooks: { secrets: readonly string[]; seen: SeenWebhooks };
}

/** The BFF's HTTP API and page. Sockets are attached to the same server by realtime/. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on the API's answers: each was a hash of the whole body, on every 202 and every
  // snapshot, for answers no client revalidates. Static files keep theirs (serve-static's own).
  app.set('etag', false);
  // The load balancer in front of the replicas, so req.ip is the shopper's address.
  app.set('trust proxy', deps.trustProxy);
  app.use(requestLog({ logger: deps.logger, registry: deps.registry }));
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(deps.signInOrigin) } }));
  // Before the JSON parser: a webhook's signature is checked over its body as sent, which it reads raw.
  app.use(
    billingGatesWebhookRoutes({
      ...deps.webhooks,
      publish: (event) => deps.publisher.publish(event),
      recorded: (event) => deps.history.eventPublished(event),
      deliveries: deps.metrics.webhooks,
      logger: deps.logger,
    }),
  );
  app.use(express.json({ limit: '16kb' }));

  app.use(healthRoutes(deps.readiness, deps.registry));
  app.use(plansRoutes());
  app.use(apiDocsRoutes());
  const idempotency = new IdempotencyStore(deps.redis, 24 * 3600);
  app.use(
    paymentsRoutes({
      payments: deps.payments,
      secrets: deps.secrets,
      intake: new PaymentIntake(deps.acceptPath?.redis ?? deps.redis, deps.payments, idempotency, {
        perMinute: deps.rateLimitPerMinute,
        scope: deps.rateLimitScope,
        ...(deps.acceptPath === undefined ? {} : { confirmation: deps.acceptPath.confirmation }),
      }),
      idempotency,
      publisher: deps.publisher,
      logger: deps.logger,
      onAccepted: async (snapshot, request) => {
        deps.metrics.paymentsAccepted.inc();
        await Promise.all([deps.liveView.accepted(snapshot), deps.history.accepted(snapshot, request)]);
      },
      reveal: deps.reveal,
    }),
  );
  app.use(lookupRoutes({ operators: deps.operators, lookup: deps.lookup, logger: deps.logger }));
  app.use(refundedByHandRoutes({ operators: deps.operators, payments: deps.payments, publish: (event) => deps.publisher.publish(event), logger: deps.logger }));
  app.use(
    opsRoutes({
      sessions: deps.opsSessions,
      operators: deps.operators,
      onSignedOut: (session) => deps.liveView.endSession(session),
      rateLimit: rateLimitPerMinute(deps.redis, 10, `${deps.rateLimitScope}ops-sign-in`),
      webRoot: deps.webRoot,
      logger: deps.logger,
    }),
  );
  if (existsSync(deps.webRoot)) app.use(express.static(deps.webRoot, { index: 'index.html' }));

  app.use(methodNotAllowed(openApiDocument().paths));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

/**
 * The checkout page loads nothing but its own bundle, talks only to its own origin (HTTP and
 * Socket.IO), and posts one form: the SSO token, to the SaaS app's landing.
 */
function contentSecurityPolicy(signInOrigin: string): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'form-action': ["'self'", signInOrigin],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'object-src': ["'none'"],
  };
}
