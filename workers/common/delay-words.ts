import type { DelayedStep, Reason } from '../../contracts/index.js';

/**
 * What a shopper is told while a step keeps failing, honest about their money: "nothing has been
 * charged" only while every failed charge was refused before Billing Gates could act on it, and no
 * other worker can have tried it (workers/common/delay-tracker.ts). After
 * a timeout or an unreadable answer the charge may have gone through (a retry under the same key
 * finds it, so it is never taken twice), and the words say only what is sure.
 */
export function delayWords(step: DelayedStep, { mayHaveTakenEffect }: { mayHaveTakenEffect: boolean }): Reason {
  switch (step) {
    case 'charge':
      return mayHaveTakenEffect
        ? { code: 'CHARGE_DELAYED_UNCERTAIN', message: 'Your bank is slow to answer; we keep trying, and you will not be charged twice.' }
        : { code: 'CHARGE_DELAYED', message: 'Your bank is not answering yet; nothing has been charged; we keep trying.' };
    case 'order':
      return { code: 'ORDER_DELAYED', message: 'Your payment went through; we are still setting up your account.' };
    case 'settle':
      // After the bank's challenge: whether it charged is Billing Gates' to say, and it is not answering.
      return {
        code: 'SETTLE_DELAYED',
        message:
          "We are still waiting to hear from the payment provider about your bank's answer; you will not be charged twice, and this page updates by itself.",
      };
    case 'refund':
      return {
        code: 'REFUND_DELAYED',
        message: 'We could not set up your account and are returning your payment; the bank is not answering yet, we keep trying.',
      };
    default: {
      const unhandled: never = step;
      throw new Error(`unknown step ${String(unhandled)}`);
    }
  }
}
