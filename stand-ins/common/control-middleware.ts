import type { RequestHandler, Response } from 'express';
import { sleep } from '../../lib/sleep.js';
import type { ControlReader } from './control.js';
import { sendError } from './errors.js';

/**
 * Applies the control state to a business request: `down` answers 503 at once; otherwise the
 * request waits `latencyMs`, then fails with 500 with probability `errorRate`. Injected failures
 * happen before the handler runs, so they never leave a side effect behind. A broken answer
 * (`brokenAnswerRate`) is the opposite: the handler runs and keeps its effect, only the caller
 * cannot read what it did.
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
    // Drawn only when set, so a test's sequence of random numbers for errorRate stays as it was.
    const { brokenAnswerRate } = control.current;
    if (brokenAnswerRate > 0 && random() < brokenAnswerRate) cutJsonAnswerShort(res);
    next();
  };
}

/** Makes the handler's 2xx JSON answer arrive as the first half of its text: not parseable. */
function cutJsonAnswerShort(res: Response): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    if (res.statusCode < 200 || res.statusCode >= 300) return json(body);
    const text = JSON.stringify(body);
    return res.type('application/json').send(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  };
}

/**
 * Holds a call that changes something for `effectDelayMs` before its handler makes the effect
 * (applyControl's `latencyMs` wait comes first). Put on the routes with an effect only: lookups
 * answer at once, so they can overtake an effect still on its way.
 */
export function holdEffect(control: ControlReader): RequestHandler {
  return async (_req, _res, next) => {
    const { effectDelayMs } = control.current;
    if (effectDelayMs > 0) await sleep(effectDelayMs);
    next();
  };
}
