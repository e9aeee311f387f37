import { z } from 'zod';
import type { Reason } from '../../contracts/index.js';
import type { DownstreamClient } from '../common/downstream-client.js';
import { errorMessage, expectOk } from '../common/expect-ok.js';

const Created = z.object({ orderId: z.string().min(1) });
const Confirmed = z.object({ orderId: z.string().min(1), ssoToken: z.string().min(1), expiresAt: z.iso.datetime() });

export type CreateOrderResult = { outcome: 'created'; orderId: string } | { outcome: 'rejected'; reason: Reason };
export type ConfirmedOrder = z.infer<typeof Confirmed>;

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
}

