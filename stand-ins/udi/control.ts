import { z } from 'zod';
import { BaseControl, ControlState, DEFAULT_BASE_CONTROL } from '../common/control.js';

export const UdiControl = BaseControl.extend({
  /** Plans whose orders are rejected with 422 ORDER_REJECTED, a permanent failure. Default []. */
  failPlans: z.array(z.string().min(1).max(200)).max(1000),
});
export type UdiControl = z.infer<typeof UdiControl>;

export function createUdiControl(initial: Partial<UdiControl> = {}): ControlState<UdiControl> {
  return new ControlState(UdiControl.partial().strict(), { ...DEFAULT_BASE_CONTROL, failPlans: [], ...initial });
}
