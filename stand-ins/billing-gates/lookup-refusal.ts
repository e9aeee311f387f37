import type { RequestHandler } from 'express';
import { sendError } from '../common/errors.js';

/**
 * `refuseLookups`: the charge lookup and the void answer 403 LOOKUP_REFUSED, as a processor does
 * when the caller's key lost the permission, and change nothing. A refusal that no retry mends,
 * for the workers' rule that a give-up refused for good still ends the payment.
 */
export function lookupRefusal(control: { readonly current: { refuseLookups: boolean } }): RequestHandler {
  return (_req, res, next) => {
    if (!control.current.refuseLookups) {
      next();
      return;
    }
    sendError(res, 403, 'LOOKUP_REFUSED', 'Charge lookups and voids are refused (refuseLookups set through POST /__control).');
  };
}
