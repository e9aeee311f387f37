import { DownstreamClient } from '../common/downstream-client.js';
import type { WorkerDefinition } from '../common/start-worker.js';
import { BillingGatesClient } from './billing-gates-client.js';
import { chargePayment } from './charge-payment.js';
import { refundCharge } from './refund-charge.js';

/** The billing worker: charges initiated payments and refunds charges whose order failed. */
export function billingWorker(billingGatesUrl: string): WorkerDefinition {
  return {
    role: 'billing-worker',
    consumes: (topics) => [topics.paymentsInitiated, topics.ordersFailed],
    createHandlers: (registry) => {
      const gates = new BillingGatesClient(new DownstreamClient('billing-gates', billingGatesUrl, registry));
      return {
        PaymentInitiated: (event, signal) => chargePayment(gates, event, signal),
        OrderFailed: (event, signal) => refundCharge(gates, event, signal),
      };
    },
  };
}
