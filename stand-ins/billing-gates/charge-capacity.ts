import type { RequestHandler } from 'express';
import { sendError } from '../common/errors.js';

/**
 * What a real card processor does when a sale brings more than it takes: at most
 * `maxChargesPerSecond` charges are handled per one-second window of the clock, and any beyond
 * answer 429 TOO_MANY_CHARGES with `Retry-After` (whole seconds to the next window, at least 1),
 * before anything is charged or recorded. Only charges count: refunds and lookups are not what a
 * sale brings more of, and a refund held back would leave a shopper charged without an order.
 * A refused charge does not count, so the callers retrying it cannot starve the next window.
 * It runs after the control middleware: the count is of charges as they are handled.
 */
export function chargeCapacity(control: { readonly current: { maxChargesPerSecond: number | null } }, now: () => number = Date.now): RequestHandler {
  let window = -1;
  let handled = 0;
  return (_req, res, next) => {
    const max = control.current.maxChargesPerSecond;
    if (max === null) {
      next();
      return;
    }
    const at = now();
    const current = Math.floor(at / 1_000);
    if (current !== window) [window, handled] = [current, 0];
    if (handled < max) {
      handled += 1;
      next();
      return;
    }
    const retryAfterS = Math.max(1, Math.ceil(((current + 1) * 1_000 - at) / 1_000));
    res.setHeader('Retry-After', String(retryAfterS));
    sendError(
      res,
      429,
      'TOO_MANY_CHARGES',
      `Billing Gates takes at most ${max} charges per second (maxChargesPerSecond set through POST /__control); try again in ${retryAfterS} s.`,
    );
  };
}
