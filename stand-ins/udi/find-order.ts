import type { RequestHandler } from 'express';
import { z } from 'zod';
import { rememberPaymentId } from '../../lib/request-log.js';
import { issueDetails, sendError } from '../common/errors.js';
import type { OrderBook } from './orders.js';

const FindOrderQuery = z.object({ paymentId: z.string().min(1).max(200) });

interface FindOrderDeps {
  orders: OrderBook;
}

/**
 * GET /orders?paymentId=…: the payment's order and its status (`created`, `confirmed`,
 * `cancelled`), so a caller that lost an answer can learn what Udi did. A payment cancelled before
 * it had an order answers `cancelled` with orderId null; 404 ORDER_NOT_FOUND when it has neither.
 */
export function findOrderHandler({ orders }: FindOrderDeps): RequestHandler {
  return (req, res) => {
    const query = FindOrderQuery.safeParse(req.query);
    if (!query.success) {
      sendError(res, 400, 'INVALID_QUERY', 'Name the payment: GET /orders?paymentId=….', issueDetails(query.error));
      return;
    }
    const { paymentId } = query.data;
    rememberPaymentId(res, paymentId);
    const order = orders.byPaymentId(paymentId);
    if (order === undefined && orders.isCancelled(paymentId)) {
      res.status(200).json({ orderId: null, status: 'cancelled' });
      return;
    }
    if (order === undefined) {
      sendError(res, 404, 'ORDER_NOT_FOUND', `Payment ${paymentId} has no order.`);
      return;
    }
    res.status(200).json({ orderId: order.orderId, status: order.status });
  };
}
