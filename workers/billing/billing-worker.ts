import type { Logger } from '../../lib/logger.js';
import { udiCancelOrder } from '../common/cancel-order.js';
import { DelayTracker } from '../common/delay-tracker.js';
import { DownstreamClient } from '../common/downstream-client.js';
import type { WorkerDefinition } from '../common/start-worker.js';
import { workerWallClock } from '../common/worker-config.js';
import { StepBudget, type StepRecord } from '../common/step-budget.js';
import { BillingGatesClient } from './billing-gates-client.js';
import { expireChargeAction } from './charge-action-expired.js';
import { createChargeActionMetrics } from './charge-action-metrics.js';
import { settleChargeAction } from './charge-action-settled.js';
import { chargePayment } from './charge-payment.js';
import { createChargeUnresolvedAlert } from './charge-unresolved-alert.js';
import type { BillingWorkerConfig } from './config.js';
import { createRefundAlert } from './refund-alert.js';
import { refundCharge } from './refund-charge.js';

export interface BillingWorkerOptions {
  /** How long one Billing Gates call may take (DOWNSTREAM_TIMEOUT_MS). */
  timeoutMs: number;
  /** Budget of transient failures while charging, from the group's first sight of PaymentInitiated (CHARGE_DEADLINE_MS). */
  chargeDeadlineMs: number;
  /** Budget of transient failures while refunding, from the group's first sight of OrderFailed (REFUND_DEADLINE_MS). */
  refundDeadlineMs: number;
  /** How long a charge may wait on the shopper's bank challenge (ACTION_DEADLINE_MS). */
  actionDeadlineMs: number;
  /** How long a charge or refund may keep failing before the shopper is told, and how often again (DELAY_NOTICE_AFTER_MS). */
  delayNoticeAfterMs: number;
  /** Udi, asked to give the order up before its charge is refunded (UDI_URL). */
  udiUrl: string;
  /** Where a refund that did not go through, or a charge left unresolved, is reported to an operator. */
  logger: Logger;
  /** The wall clock, ms since the epoch, that stamps delay notices (CLOCK_OFFSET_MS shifts it in tests). */
  now: () => number;
}

export function billingWorkerOptions(config: BillingWorkerConfig, logger: Logger): BillingWorkerOptions {
  return {
    timeoutMs: config.DOWNSTREAM_TIMEOUT_MS,
    chargeDeadlineMs: config.CHARGE_DEADLINE_MS,
    refundDeadlineMs: config.REFUND_DEADLINE_MS,
    actionDeadlineMs: config.ACTION_DEADLINE_MS,
    delayNoticeAfterMs: config.DELAY_NOTICE_AFTER_MS,
    udiUrl: config.UDI_URL,
    logger,
    now: workerWallClock(config),
  };
}

/** The billing worker: charges initiated payments and refunds charges whose order failed (once Udi has given the order up), each within its budget. */
export function billingWorker(billingGatesUrl: string, options: BillingWorkerOptions): WorkerDefinition<'billing-worker'> {
  return {
    role: 'billing-worker',
    createHandlers: (registry, notices) => {
      const gates = new BillingGatesClient(new DownstreamClient('billing-gates', billingGatesUrl, registry, options.timeoutMs));
      const cancelOrder = udiCancelOrder(new DownstreamClient('udi', options.udiUrl, registry, options.timeoutMs));
      const delays = (step: 'charge' | 'refund' | 'settle') =>
        new DelayTracker({ step, afterMs: options.delayNoticeAfterMs, publish: notices, now: options.now });
      const unresolvedAlert = createChargeUnresolvedAlert(registry, options.logger);
      const actions = createChargeActionMetrics(registry);
      return {
        PaymentInitiated: observed(
          chargePayment(gates, new StepBudget(options.chargeDeadlineMs, { delays: delays('charge') }), unresolvedAlert, {
            deadlineMs: options.actionDeadlineMs,
            now: options.now,
          }),
          (outcome) => {
            if (outcome.type === 'PaymentRequiresAction') actions.asked();
          },
        ),
        OrderFailed: refundCharge({
          gates,
          cancelOrder,
          budget: new StepBudget(options.refundDeadlineMs, { delays: delays('refund') }),
          alert: createRefundAlert(registry, options.logger),
          logger: options.logger,
        }),
        ChargeActionSettled: observed(
          settleChargeAction(gates, new StepBudget(options.chargeDeadlineMs, { delays: delays('settle') }), unresolvedAlert, options.logger),
          (outcome) => actions.ended(outcome),
        ),
        ChargeActionExpired: observed(
          expireChargeAction(gates, new StepBudget(options.chargeDeadlineMs, { delays: delays('settle') }), unresolvedAlert, options.logger),
          (outcome) => actions.ended(outcome),
        ),
      };
    },
  };
}

/** `step`, telling `observe` of each outcome it returns. */
function observed<E, O>(step: (event: E, record: StepRecord) => Promise<O>, observe: (outcome: O) => void) {
  return async (event: E, record: StepRecord): Promise<O> => {
    const outcome = await step(event, record);
    observe(outcome);
    return outcome;
  };
}
