import { z } from 'zod';
import type { Reason } from '../../contracts/index.js';
import { TransientDownstreamError, type DownstreamClient } from '../common/downstream-client.js';
import { errorCode, errorMessage, expectOk, refusal } from '../common/expect-ok.js';

const Created = z.object({ orderId: z.string().min(1) });
const Confirmed = z.object({
  orderId: z.string().min(1),
  ssoToken: z.string().min(1),
  // Any ISO 8601 date-time names an instant; events carry it in UTC (`…Z`), whatever Udi wrote.
  expiresAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString()),
});
const Found = z.object({ orderId: z.string().min(1), status: z.enum(['created', 'confirmed']) });

export type CreateOrderResult = { outcome: 'created'; orderId: string } | { outcome: 'rejected'; reason: Reason };
export type ConfirmedOrder = z.infer<typeof Confirmed>;
/** What Udi holds for a payment: no order, or its order and whether it is confirmed. */
export type FoundOrder = z.infer<typeof Found> | { status: 'none' };

/** Udi: orders (idempotent by paymentId) and the SSO token issued when one is confirmed. */
export class UdiClient {
  constructor(private readonly http: DownstreamClient) {}

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

  /** The payment's order as Udi has it now, without changing anything. */
  async findOrder(paymentId: string, signal?: AbortSignal): Promise<FoundOrder> {
    const response = await this.http.get(`/orders?${new URLSearchParams({ paymentId }).toString()}`, signal);
    if (response.status === 404 && errorCode(response.body) === 'ORDER_NOT_FOUND') return { status: 'none' };
    // Any other refusal leaves us not knowing whether the order was confirmed, and refunding a
    // confirmed order is the one thing this lookup exists to prevent: ask again later.
    if (response.status >= 400) throw new TransientDownstreamError('udi', refusal('udi', response, 'order lookup').message, { effect: 'none' });
    return expectOk('udi', response, Found, 'order lookup');
  }
}
