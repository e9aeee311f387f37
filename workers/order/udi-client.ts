import { z } from 'zod';
import type { Reason } from '../../contracts/index.js';
import { udiCancelOrder, type CancelOrder } from '../common/cancel-order.js';
import type { DownstreamClient } from '../common/downstream-client.js';
import { errorMessage, expectOk } from '../common/expect-ok.js';

const Created = z.object({ orderId: z.string().min(1) });
const Confirmed = z.object({
  orderId: z.string().min(1),
  ssoToken: z.string().min(1),
  // Any ISO 8601 date-time names an instant; events carry it in UTC (`…Z`), whatever Udi wrote.
  expiresAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString()),
});

export type CreateOrderResult = { outcome: 'created'; orderId: string } | { outcome: 'rejected'; reason: Reason };
export type ConfirmedOrder = z.infer<typeof Confirmed>;

/**
 * Udi: orders (idempotent by paymentId), the SSO token issued when one is confirmed, and the
 * cancel that gives an order up. Any other 4xx (a cancelled order's ORDER_CANCELLED among them)
 * is a PermanentError.
 */
export class UdiClient {
  readonly cancelOrder: CancelOrder;

  constructor(private readonly http: DownstreamClient) {
    this.cancelOrder = udiCancelOrder(http);
  }

  async createOrder(input: { paymentId: string; planId: string; email: string }, signal?: AbortSignal): Promise<CreateOrderResult> {
    const response = await this.http.post('/orders', input, signal);
    if (response.status === 422) {
      return { outcome: 'rejected', reason: { code: 'ORDER_REJECTED', message: errorMessage(response.body, 'The order could not be created.') } };
    }
    return { outcome: 'created', orderId: expectOk('udi', response, Created, 'order').orderId };
  }

  async confirmOrder(orderId: string, signal?: AbortSignal): Promise<ConfirmedOrder> {
    const response = await this.http.post(`/orders/${encodeURIComponent(orderId)}/confirm`, {}, signal);
    return expectOk('udi', response, Confirmed, 'confirmation');
  }
}
