import { Router, type Express } from 'express';
import type { Logger } from '../../lib/logger.js';
import { Ledger } from '../common/ledger.js';
import { holdEffect } from '../common/control-middleware.js';
import { createStandInApp } from '../common/stand-in-app.js';
import { BillingBook } from './book.js';
import { chargeHandler } from './charge.js';
import { chargeCapacity } from './charge-capacity.js';
import { chargeLookupHandler } from './charge-lookup.js';
import { chargeVoidHandler } from './charge-void.js';
import { createBillingControl, type BillingControl } from './control.js';
import type { BillingLedgerKind } from './ledger-kinds.js';
import { lookupRefusal } from './lookup-refusal.js';
import { refundHandler } from './refund.js';

export interface BillingGatesDeps {
  logger: Logger;
  /** Initial control state; unset fields take the defaults (no latency, no errors, up, only the test card pm_card_declined declined). */
  control?: Partial<BillingControl>;
  random?: () => number;
  /** The clock of the charge capacity's one-second windows; default Date.now. */
  now?: () => number;
}

/** The stand-in for Billing Gates, the card processor: charges (their lookup and void by key) and refunds. */
export function createBillingGatesApp(deps: BillingGatesDeps): Express {
  const logger = deps.logger;
  const ledger = new Ledger<BillingLedgerKind>();
  const control = createBillingControl(deps.control);
  const book = new BillingBook();

  const routes = Router();
  routes.post('/charges', chargeCapacity(control, deps.now), holdEffect(control), chargeHandler({ book, ledger, control, logger }));
  // Lookups and voids are not held: they can overtake a charge still on its way.
  routes.get('/charges/:idempotencyKey', lookupRefusal(control), chargeLookupHandler({ book }));
  routes.post('/charges/:idempotencyKey/void', lookupRefusal(control), chargeVoidHandler({ book, ledger, logger }));
  routes.post('/refunds', holdEffect(control), refundHandler({ book, ledger, control, logger }));

  return createStandInApp({ name: 'Billing Gates', logger, ledger, control, routes, random: deps.random });
}
