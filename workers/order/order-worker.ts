import type { Logger } from '../../lib/logger.js';
import type { TokenCipher } from '../../lib/token-cipher.js';
import { DelayTracker } from '../common/delay-tracker.js';
import { DownstreamClient } from '../common/downstream-client.js';
import type { WorkerDefinition } from '../common/start-worker.js';
import { workerWallClock } from '../common/worker-config.js';
import { StepBudget } from '../common/step-budget.js';
import { completeOrder, type CompleteOrderOptions } from './complete-order.js';
import type { OrderWorkerConfig } from './config.js';
import { createSignInAlert } from './sign-in-alert.js';
import { UdiClient } from './udi-client.js';

export interface OrderWorkerOptions extends CompleteOrderOptions {
  /** How long one Udi call may take (DOWNSTREAM_TIMEOUT_MS). */
  timeoutMs: number;
  /** How long the order may keep failing before the shopper is told, and how often again (DELAY_NOTICE_AFTER_MS). */
  delayNoticeAfterMs: number;
  /** Where an order confirmed without a sign-in token is reported to an operator. */
  logger: Logger;
}

export function orderWorkerOptions(config: OrderWorkerConfig, cipher: TokenCipher, logger: Logger): OrderWorkerOptions {
  return {
    timeoutMs: config.DOWNSTREAM_TIMEOUT_MS,
    deadlineMs: config.ORDER_DEADLINE_MS,
    delayNoticeAfterMs: config.DELAY_NOTICE_AFTER_MS,
    cipher,
    logger,
    now: workerWallClock(config),
  };
}

/** The order worker: turns a paid payment into a confirmed order and an SSO token. */
export function orderWorker(udiUrl: string, options: OrderWorkerOptions): WorkerDefinition<'order-worker'> {
  return {
    role: 'order-worker',
    createHandlers: (registry, notices) => {
      const udi = new UdiClient(new DownstreamClient('udi', udiUrl, registry, options.timeoutMs));
      const delays = new DelayTracker({ step: 'order', afterMs: options.delayNoticeAfterMs, publish: notices, now: options.now });
      const step = { cipher: options.cipher, budget: new StepBudget(options.deadlineMs, { delays }), alert: createSignInAlert(registry, options.logger) };
      return { PaymentSucceeded: (event, record) => completeOrder(udi, event, step, record) };
    },
  };
}
