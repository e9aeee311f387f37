import type { RequestHandler } from 'express';
import { sleep } from '../../lib/sleep.js';
import type { ControlReader } from './control.js';
import { sendError } from './errors.js';

/**
 * Applies the control state to a business request: `down` answers 503 at once; otherwise the
 * request waits `latencyMs`, then fails with 500 with probability `errorRate`. Injected failures
 * happen before the handler runs, so they never leave a side effect behind.
 */
export function applyControl(name: string, control: ControlReader, random: () => number = Math.random): RequestHandler {
  return async (_req, res, next) => {
    if (control.current.down) {
      sendError(res, 503, 'SERVICE_DOWN', `${name} is down (set through POST /__control).`);
      return;
    }
    const { latencyMs } = control.current;
    if (latencyMs > 0) await sleep(latencyMs);
    // Read again after the wait: a test may have changed the state meanwhile.
    if (control.current.down) {
      sendError(res, 503, 'SERVICE_DOWN', `${name} is down (set through POST /__control).`);
      return;
    }
    if (random() < control.current.errorRate) {
      sendError(res, 500, 'INJECTED_ERROR', `${name} failed on purpose (errorRate set through POST /__control).`);
      return;
    }
    next();
  };
}
