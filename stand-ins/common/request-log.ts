import type { RequestHandler, Response } from 'express';
import type { Logger } from '../../lib/logger.js';

const PAYMENT_ID = 'paymentId';

/** Tags the request's log line with the payment it is about, once the handler knows it. */
export function rememberPaymentId(res: Response, paymentId: string): void {
  res.locals[PAYMENT_ID] = paymentId;
}

function isHousekeeping(path: string): boolean {
  return path === '/healthz' || path.startsWith('/__');
}

/**
 * One line per request when it finishes. Housekeeping requests (health, ledger, control) log at
 * debug because tests poll them.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const paymentId: unknown = res.locals[PAYMENT_ID];
      const line = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
        ...(typeof paymentId === 'string' ? { paymentId } : {}),
      };
      if (isHousekeeping(req.path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
