import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import type { ControlReader } from '../common/control.js';
import { sendError } from '../common/errors.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { parseBody } from '../common/validate.js';
import type { UdiControl } from './control.js';
import type { UdiLedger } from './ledger-kinds.js';
import type { OrderBook } from './orders.js';

export const CreateOrderRequest = z.object({
  paymentId: z.string().min(1).max(200),
  planId: z.string().min(1).max(200),
  email: z.email(),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

interface CreateOrderDeps {
  orders: OrderBook;
  ledger: UdiLedger;
  control: ControlReader & { readonly current: Readonly<UdiControl> };
  logger: Logger;
}

/**
 * POST /orders: an unconfirmed order, at most one per payment (a repeat answers the same order).
 * A payment whose order was cancelled (POST /orders/cancel) gets none: 409 ORDER_CANCELLED.
 */
export function createOrderHandler({ orders, ledger, control, logger }: CreateOrderDeps): RequestHandler {
  return (req, res) => {
    const request = parseBody(CreateOrderRequest, req, res);
    if (request === undefined) return;
    const { paymentId, planId, email } = request;
    rememberPaymentId(res, paymentId);
    const log = logger.child({ paymentId, planId });

    if (orders.isCancelled(paymentId)) {
      ledger.record('create-refused', paymentId, { code: 'ORDER_CANCELLED' });
      log.info('order refused: the order of this payment was cancelled');
      sendError(res, 409, 'ORDER_CANCELLED', `The order of payment ${paymentId} was cancelled; it cannot be ordered again.`);
      return;
    }

    const existing = orders.byPaymentId(paymentId);
    if (existing !== undefined) {
      if (existing.planId !== planId || existing.email !== email) {
        log.warn({ orderId: existing.orderId }, 'order repeated with other details');
        sendError(res, 409, 'ORDER_CONFLICT', 'This payment already has an order for another plan or email.');
        return;
      }
      log.info({ orderId: existing.orderId }, 'order repeated; answering the existing one');
      res.status(200).json({ orderId: existing.orderId, status: existing.status });
      return;
    }

    if (control.current.failPlans.includes(planId)) {
      ledger.record('order-rejected', paymentId, { planId });
      log.info('order rejected (plan listed in failPlans)');
      sendError(res, 422, 'ORDER_REJECTED', `Plan ${planId} cannot be ordered right now.`);
      return;
    }

    const order = orders.create({ paymentId, planId, email });
    ledger.record('order-created', paymentId, { orderId: order.orderId, planId, email });
    log.info({ orderId: order.orderId }, 'order created');
    res.status(201).json({ orderId: order.orderId, status: order.status });
  };
}
