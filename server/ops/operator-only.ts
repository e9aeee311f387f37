import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from '../http/api-error.js';
import { orStoreUnavailable } from '../http/store-unavailable.js';
import type { SignedInOperators } from './signed-in-operators.js';

/** Lets through only a request with a live view session in force (its cookie), and keeps its answer out of every cache. */
export function operatorOnly(operators: SignedInOperators, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    const session = await orStoreUnavailable(
      operators.sessionIn(req.get('cookie')),
      'Your operator session cannot be checked right now; please try again in a few seconds.',
      logger,
    );
    if (session === undefined) throw new ApiError(401, 'OPS_UNAUTHORIZED', 'Sign in to the live view (/ops) with the operator token first.');
    res.set('Cache-Control', 'no-store');
    next();
  };
}
