import { z } from 'zod';
import { BaseControl, ControlState, DEFAULT_BASE_CONTROL, MAX_LATENCY_MS } from '../common/control.js';

export const UdiControl = BaseControl.extend({
  /** Plans whose orders are rejected with 422 ORDER_REJECTED, a permanent failure. Default []. */
  failPlans: z.array(z.string().min(1).max(200)).max(1000),
  /**
   * Offset from UTC, in minutes, of the `expiresAt` a confirmation answers with (e.g. 120 →
   * `…+02:00`), as a service in another time zone would write it. Default 0: `…Z`.
   */
  expiresAtOffset: z.number().int().min(-840).max(840),
  /**
   * How long, in ms, the answer to a confirmation is held after the order was confirmed and its
   * token issued. Above the caller's timeout, the confirm happens but its answer is lost. Default 0.
   */
  confirmAnswerDelayMs: z.number().int().min(0).max(MAX_LATENCY_MS),
  /**
   * How long, in ms, a confirmation is held before the order is confirmed (after `latencyMs` and
   * `effectDelayMs`), while orders are still created at once: a caller that times out leaves a
   * confirmation on its way inside Udi, which lands after whatever the caller does next. Default 0.
   */
  confirmEffectDelayMs: z.number().int().min(0).max(MAX_LATENCY_MS),
  /** When true, every confirmation answers 409 ORDER_NOT_CONFIRMABLE and confirms nothing. Default false. */
  refuseConfirms: z.boolean(),
});
export type UdiControl = z.infer<typeof UdiControl>;

export function createUdiControl(initial: Partial<UdiControl> = {}): ControlState<UdiControl> {
  return new ControlState(UdiControl.partial().strict(), {
    ...DEFAULT_BASE_CONTROL,
    failPlans: [],
    expiresAtOffset: 0,
    confirmAnswerDelayMs: 0,
    confirmEffectDelayMs: 0,
    refuseConfirms: false,
    ...initial,
  });
}
