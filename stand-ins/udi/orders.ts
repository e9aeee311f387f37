import { randomBytes } from 'node:crypto';

export interface Order {
  orderId: string;
  paymentId: string;
  planId: string;
  email: string;
  status: 'created' | 'confirmed';
}

/** Udi's orders, at most one per payment. */
export class OrderBook {
  readonly #byId = new Map<string, Order>();
  readonly #byPaymentId = new Map<string, Order>();

  byId(orderId: string): Order | undefined {
    return this.#byId.get(orderId);
  }

  byPaymentId(paymentId: string): Order | undefined {
    return this.#byPaymentId.get(paymentId);
  }

  create(fields: Pick<Order, 'paymentId' | 'planId' | 'email'>): Order {
    const order: Order = { ...fields, orderId: `ord_${randomBytes(12).toString('hex')}`, status: 'created' };
    this.#byId.set(order.orderId, order);
    this.#byPaymentId.set(order.paymentId, order);
    return order;
  }
}
