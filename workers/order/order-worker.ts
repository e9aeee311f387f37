import { DownstreamClient } from '../common/downstream-client.js';
import type { WorkerDefinition } from '../common/start-worker.js';
import { completeOrder, type CompleteOrderOptions } from './complete-order.js';
import { UdiClient } from './udi-client.js';

/** The order worker: turns a paid payment into a confirmed order and an SSO token. */
export function orderWorker(udiUrl: string, options: CompleteOrderOptions): WorkerDefinition {
  return {
    role: 'order-worker',
    consumes: (topics) => [topics.paymentsSucceeded],
    createHandlers: (registry) => {
      const udi = new UdiClient(new DownstreamClient('udi', udiUrl, registry));
      return { PaymentSucceeded: (event, signal) => completeOrder(udi, event, options, signal) };
    },
  };
}
