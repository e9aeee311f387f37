import { Router, type Express } from 'express';
import type { Logger } from '../../lib/logger.js';
import { Ledger } from '../common/ledger.js';
import { holdEffect } from '../common/control-middleware.js';
import { createStandInApp } from '../common/stand-in-app.js';
import { cancelOrderHandler } from './cancel-order.js';
import { confirmOrderHandler } from './confirm-order.js';
import { createUdiControl, type UdiControl } from './control.js';
import { createOrderHandler } from './create-order.js';
import { exchangeTokenHandler } from './exchange-token.js';
import { findOrderHandler } from './find-order.js';
import type { UdiLedgerKind } from './ledger-kinds.js';
import { OrderBook } from './orders.js';
import { SsoTokens } from './sso-tokens.js';

export interface UdiDeps {
  logger: Logger;
  /** How long an SSO token can be exchanged, in ms. */
  ssoTokenTtlMs: number;
  /** Initial control state; unset fields take the defaults (no latency, no errors, up, no failing plans). */
  control?: Partial<UdiControl>;
  now?: () => number;
  random?: () => number;
}

/** The stand-in for Udi, the order system: orders, their confirmation, and SSO tokens. */
export function createUdiApp(deps: UdiDeps): Express {
  const logger = deps.logger;
  const ledger = new Ledger<UdiLedgerKind>();
  const control = createUdiControl(deps.control);
  const orders = new OrderBook();
  const tokens = new SsoTokens(deps.ssoTokenTtlMs, deps.now);

  const routes = Router();
  routes.post('/orders', holdEffect(control), createOrderHandler({ orders, ledger, control, logger }));
  routes.get('/orders', findOrderHandler({ orders }));
  // Not held by effectDelayMs: a test can put the cancel before a create or confirm on its way.
  routes.post('/orders/cancel', cancelOrderHandler({ orders, ledger, logger }));
  routes.post('/orders/:orderId/confirm', holdEffect(control), confirmOrderHandler({ orders, tokens, ledger, control, logger }));
  routes.post('/sso/exchange', exchangeTokenHandler({ tokens, ledger, logger }));

  return createStandInApp({ name: 'Udi', logger, ledger, control, routes, random: deps.random });
}
