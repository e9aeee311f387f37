import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';
import { sleep } from '../../lib/sleep.js';
import type { ControlReader } from '../common/control.js';
import { sendError } from '../common/errors.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import type { UdiControl } from './control.js';
import { isoWithOffset } from './iso-with-offset.js';
import type { UdiLedger } from './ledger-kinds.js';
import type { OrderBook } from './orders.js';
import type { SsoTokens } from './sso-tokens.js';

interface ConfirmOrderDeps {
  orders: OrderBook;
  tokens: SsoTokens;
  ledger: UdiLedger;
  control: ControlReader & { readonly current: Readonly<UdiControl> };
  logger: Logger;
}

/**
 * POST /orders/:orderId/confirm. Confirms once; every call, a repeat included, issues a fresh
 * one-time SSO token, so a caller that lost the answer can still sign the shopper in. A cancelled
 * order is never confirmed (409 ORDER_CANCELLED), however long the call was on its way.
 */
export function confirmOrderHandler({ orders, tokens, ledger, control, logger }: ConfirmOrderDeps): RequestHandler<{ orderId: string }> {
  return async (req, res) => {
    const { confirmEffectDelayMs } = control.current;
    // The order is read after the hold: what happened to it meanwhile decides.
    if (confirmEffectDelayMs > 0) await sleep(confirmEffectDelayMs);
    const order = orders.byId(req.params.orderId);
    if (order === undefined) {
      sendError(res, 404, 'ORDER_NOT_FOUND', `There is no order ${req.params.orderId}.`);
      return;
    }
    const { orderId, paymentId, email } = order;
    rememberPaymentId(res, paymentId);
    const log = logger.child({ paymentId, orderId });

    if (order.status === 'cancelled') {
      ledger.record('confirm-refused', paymentId, { orderId, code: 'ORDER_CANCELLED' });
      log.info('confirmation refused: the order was cancelled');
      sendError(res, 409, 'ORDER_CANCELLED', `Order ${orderId} was cancelled; it cannot be confirmed.`);
      return;
    }
    if (control.current.refuseConfirms) {
      ledger.record('confirm-refused', paymentId, { orderId, code: 'ORDER_NOT_CONFIRMABLE' });
      log.info('confirmation refused (refuseConfirms set through POST /__control)');
      sendError(res, 409, 'ORDER_NOT_CONFIRMABLE', `Order ${orderId} cannot be confirmed (refuseConfirms set through POST /__control).`);
      return;
    }
    if (order.status === 'created') {
      order.status = 'confirmed';
      ledger.record('confirm', paymentId, { orderId });
      log.info('order confirmed');
    }
    const { token, expiresAt } = tokens.issue({ email, orderId, paymentId });
    // The token itself stays out of the ledger and the logs: whoever reads them could sign in.
    ledger.record('sso-token-issued', paymentId, { orderId, expiresAt: expiresAt.toISOString() });
    log.info({ expiresAt }, 'sso token issued');
    const { confirmAnswerDelayMs } = control.current;
    if (confirmAnswerDelayMs > 0) await sleep(confirmAnswerDelayMs);
    res.set('Cache-Control', 'no-store');
    res.status(200).json({ orderId, status: 'confirmed', ssoToken: token, expiresAt: isoWithOffset(expiresAt, control.current.expiresAtOffset) });
  };
}
