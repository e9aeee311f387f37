import { z } from 'zod';
import { BaseControl, ControlState, DEFAULT_BASE_CONTROL } from '../common/control.js';

export const BillingControl = BaseControl.extend({
  /** Payment-method tokens that are declined with 402 CARD_DECLINED. Default []. */
  declineTokens: z.array(z.string().min(1).max(200)).max(1000),
});
export type BillingControl = z.infer<typeof BillingControl>;

export function createBillingControl(initial: Partial<BillingControl> = {}): ControlState<BillingControl> {
  return new ControlState(BillingControl.partial().strict(), {
    ...DEFAULT_BASE_CONTROL,
    declineTokens: [],
    ...initial,
  });
}
