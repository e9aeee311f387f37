import { z } from 'zod';
import { BaseControl, ControlState, DEFAULT_BASE_CONTROL } from '../common/control.js';

/** The test card that always declines, as card processors' sandboxes have. */
export const DECLINED_TEST_CARD = 'pm_card_declined';

export const BillingControl = BaseControl.extend({
  /** Payment-method tokens that are declined with 402 CARD_DECLINED. Default ["pm_card_declined"], the checkout page's test card that is declined. */
  declineTokens: z.array(z.string().min(1).max(200)).max(1000),
  /**
   * Payment-method tokens whose charge requires the shopper to act (3-D Secure, say): answered
   * 201 `{ chargeId, status: "requires_action", nextAction: { type: "redirect", url } }` and kept
   * as a pending charge (ledger `charge-pending`): nothing is taken. Default [].
   */
  requiresActionTokens: z.array(z.string().min(1).max(200)).max(1000),
  /** When true, the charge lookup and the void answer 403 LOOKUP_REFUSED and change nothing. Default false. */
  refuseLookups: z.boolean(),
  /** When true, every new refund is refused with 422 REFUND_REFUSED, a permanent failure. Default false. */
  refuseRefunds: z.boolean(),
  /**
   * The processor's capacity: at most this many charges are handled per second; beyond it a charge
   * answers 429 TOO_MANY_CHARGES with Retry-After (stand-ins/billing-gates/charge-capacity.ts).
   * Default null: no limit.
   */
  maxChargesPerSecond: z.number().int().min(1).max(1_000_000).nullable(),
});
export type BillingControl = z.infer<typeof BillingControl>;

export function createBillingControl(initial: Partial<BillingControl> = {}): ControlState<BillingControl> {
  return new ControlState(BillingControl.partial().strict(), {
    ...DEFAULT_BASE_CONTROL,
    declineTokens: [DECLINED_TEST_CARD],
    requiresActionTokens: [],
    refuseLookups: false,
    refuseRefunds: false,
    maxChargesPerSecond: null,
    ...initial,
  });
}
