import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { parseBody } from '../common/validate.js';
import type { UdiLedger } from './ledger-kinds.js';
import type { OrderBook } from './orders.js';

export const CancelOrderRequest = z.object({ paymentId: z.string().min(1).max(200) });
export type CancelOrderRequest = z.infer<typeof CancelOrderRequest>;

interface CancelOrderDeps {
  orders: OrderBook;
  ledger: UdiLedger;
  logger: Logger;
}

/**
 * POST /orders/cancel: a caller giving a payment's order up makes that decision here, where the
 * order lives, in one step that nothing can come between. An unconfirmed order is cancelled, and a
 * payment without an order yet is barred from having one, so a create or a confirmation still on
 * its way is refused when it lands; a confirmed order is left as it is and reported, since it went
 * through. Answers `{ orderId, status }`, `cancelled` (orderId null when there was no order) or
 * `confirmed`; asking again answers the same and changes nothing.
 */
export function cancelOrderHandler({ orders, ledger, logger }: CancelOrderDeps): RequestHandler {
  return (req, res) => {
    const request = parseBody(CancelOrderRequest, req, res);
    if (request === undefined) return;
    const { paymentId } = request;
    rememberPaymentId(res, paymentId);

    const { status, orderId, changed } = orders.cancel(paymentId);
    const log = logger.child({ paymentId, orderId });
    if (changed) {
      ledger.record('order-cancelled', paymentId, { orderId });
      log.info(orderId === null ? 'payment barred from having an order' : 'order cancelled');
    } else {
      log.info({ status }, 'cancel asked again, or of a confirmed order; nothing changed');
    }
    res.status(200).json({ orderId, status });
  };
}
