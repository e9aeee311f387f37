import { isTerminal } from '../../contracts/index.js';
import { sleep } from '../../lib/sleep.js';
import { answerChallenge } from '../integration/harness/shopper.js';
import { snapshot } from './invariants.js';
import type { Accepted } from './load.js';

/** What a shopper sent to the bank did: answered its challenge (complete or fail), or found none to answer. */
export type BankAnswer = 'complete' | 'fail' | 'none';

/**
 * A shopper whose card needs the bank: reads the payment (as a reloaded page does, through the
 * load balancer, so through any replica) until it waits in requires_action, then answers the
 * bank's challenge as the browser's form does, and follows Billing Gates' 303 no further. Resolves
 * 'none' if the payment ended first, or never asked within `timeoutMs`.
 */
export async function answerAtTheBank(bffUrl: string, payment: Accepted, answer: 'complete' | 'fail', timeoutMs = 60_000): Promise<BankAnswer> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const current = await snapshot(bffUrl, payment);
    if (current !== null && isTerminal(current.status)) return 'none';
    if (current?.status === 'requires_action' && current.nextAction !== undefined) {
      const response = await answerChallenge(current, answer, `${bffUrl}/?paymentId=${payment.paymentId}`);
      if (response.status !== 303) throw new Error(`the bank's challenge of ${payment.paymentId} answered ${response.status}, not 303`);
      return answer;
    }
    await sleep(200);
  }
  return 'none';
}
