import { Router, type Express } from 'express';
import { Registry } from 'prom-client';
import type { BackoffOptions } from '../../lib/backoff.js';
import type { Logger } from '../../lib/logger.js';
import { Ledger } from '../common/ledger.js';
import { holdEffect } from '../common/control-middleware.js';
import { createStandInApp } from '../common/stand-in-app.js';
import { BillingBook } from './book.js';
import { challengeRoutes } from './challenge-routes.js';
import { Challenges } from './challenges.js';
import { chargeHandler } from './charge.js';
import { chargeCapacity } from './charge-capacity.js';
import { chargeLookupHandler } from './charge-lookup.js';
import { chargeVoidHandler } from './charge-void.js';
import { createBillingControl, type BillingControl } from './control.js';
import type { BillingLedgerKind } from './ledger-kinds.js';
import { lookupRefusal } from './lookup-refusal.js';
import { createBillingGatesMetrics } from './metrics.js';
import { refundHandler } from './refund.js';
import { DEVELOPMENT_WEBHOOK_SECRET } from './webhook-secret.js';
import { WebhookSender } from './webhook-sender.js';

export interface BillingGatesDeps {
  logger: Logger;
  /**
   * Initial control state; unset fields take the defaults (no latency, no errors, up, only the
   * test card pm_card_declined declined, pm_card_3ds_required asking for authentication, challenges
   * expiring after 10 minutes, no webhook URL).
   */
  control?: Partial<BillingControl>;
  random?: () => number;
  /** The clock of the charge capacity's one-second windows; default Date.now. */
  now?: () => number;
  /** The shared secret the webhooks are signed under; default the public development secret. */
  webhookSecret?: string;
  /** The webhooks' retry delays; default 250 ms doubling to 30 s. */
  webhookBackoff?: BackoffOptions;
  /** The base URL browsers reach this stand-in at, for the challenge pages; default the host each charge came to. */
  publicUrl?: string;
}

export interface BillingGates {
  app: Express;
  /** Disarms the challenges' expiries and ends the webhook deliveries still on their way (they are lost, as in a restart). */
  stop: () => Promise<void>;
}

/**
 * The stand-in for Billing Gates, the card processor: charges (their lookup and void by key),
 * the challenge pages of charges that require action with the webhooks that say how they settled,
 * and refunds.
 */
export function createBillingGates(deps: BillingGatesDeps): BillingGates {
  const logger = deps.logger;
  const ledger = new Ledger<BillingLedgerKind>();
  const control = createBillingControl(deps.control);
  const book = new BillingBook();
  const registry = new Registry();
  const metrics = createBillingGatesMetrics(registry);
  const webhooks = new WebhookSender({ secret: deps.webhookSecret ?? DEVELOPMENT_WEBHOOK_SECRET, control, logger, metrics, backoff: deps.webhookBackoff });
  const challenges = new Challenges({ book, ledger, control, webhooks, metrics, logger });

  const routes = Router();
  routes.post(
    '/charges',
    chargeCapacity(control, deps.now),
    holdEffect(control),
    chargeHandler({ book, ledger, control, challenges, publicUrl: deps.publicUrl, logger }),
  );
  // Lookups and voids are not held: they can overtake a charge still on its way.
  routes.get('/charges/:idempotencyKey', lookupRefusal(control), chargeLookupHandler({ book, challenges }));
  routes.post('/charges/:idempotencyKey/void', lookupRefusal(control), chargeVoidHandler({ book, ledger, challenges, logger }));
  routes.post('/refunds', holdEffect(control), refundHandler({ book, ledger, control, logger }));
  routes.use(challengeRoutes({ book, challenges, logger }));

  const app = createStandInApp({ name: 'Billing Gates', logger, ledger, control, routes, forms: true, random: deps.random, registry });
  return {
    app,
    stop: async () => {
      challenges.stop();
      await webhooks.stop();
    },
  };
}

/** The app alone, for callers that never stop it: its expiry timers and webhook retries do not keep a process alive. */
export function createBillingGatesApp(deps: BillingGatesDeps): Express {
  return createBillingGates(deps).app;
}
