import { randomBytes } from 'node:crypto';

export interface Order {
  orderId: string;
  paymentId: string;
  planId: string;
  email: string;
  status: 'created' | 'confirmed' | 'cancelled';
}

/** What a payment's order is once cancelling it was asked for: cancelled (with or without an order), or confirmed. */
export type Cancellation = { status: 'cancelled'; orderId: string | null; changed: boolean } | { status: 'confirmed'; orderId: string; changed: false };

/** Udi's orders, at most one per payment, and the payments whose order was cancelled before it was made. */
export class OrderBook {
  readonly #byId = new Map<string, Order>();
  readonly #byPaymentId = new Map<string, Order>();
  /** Payments cancelled while they had no order: none may be made for them any more. */
  readonly #barred = new Set<string>();

  byId(orderId: string): Order | undefined {
    return this.#byId.get(orderId);
  }

  byPaymentId(paymentId: string): Order | undefined {
    return this.#byPaymentId.get(paymentId);
  }

  /** Whether the payment's order was cancelled, or the payment barred from having one. */
  isCancelled(paymentId: string): boolean {
    return this.#barred.has(paymentId) || this.#byPaymentId.get(paymentId)?.status === 'cancelled';
  }

  create(fields: Pick<Order, 'paymentId' | 'planId' | 'email'>): Order {
    const order: Order = { ...fields, orderId: `ord_${randomBytes(12).toString('hex')}`, status: 'created' };
    this.#byId.set(order.orderId, order);
    this.#byPaymentId.set(order.paymentId, order);
    return order;
  }

  /** Cancels the payment's unconfirmed order, or bars a payment without one; a confirmed order stays as it is. */
  cancel(paymentId: string): Cancellation {
    const order = this.#byPaymentId.get(paymentId);
    if (order === undefined) {
      const changed = !this.#barred.has(paymentId);
      this.#barred.add(paymentId);
      return { status: 'cancelled', orderId: null, changed };
    }
    if (order.status === 'confirmed') return { status: 'confirmed', orderId: order.orderId, changed: false };
    const changed = order.status === 'created';
    order.status = 'cancelled';
    return { status: 'cancelled', orderId: order.orderId, changed };
  }
}
