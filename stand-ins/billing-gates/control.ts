import { z } from 'zod';
import { BaseControl, ControlState, DEFAULT_BASE_CONTROL, type ControlUpdate } from '../common/control.js';

/** The test card that always declines, as card processors' sandboxes have. */
export const DECLINED_TEST_CARD = 'pm_card_declined';

/** The test card whose charge asks for the shopper's authentication (3-D Secure) before anything is taken. */
export const THREE_DS_TEST_CARD = 'pm_card_3ds_required';

/** setTimeout fires at once for delays above 2^31-1 ms; a day is more than any challenge needs. */
export const MAX_CHALLENGE_TTL_MS = 86_400_000;

/** An address a webhook can be sent to, or a shopper sent back to: http or https only. */
export const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048);

export const BillingControl = BaseControl.extend({
  /** Payment-method tokens that are declined with 402 CARD_DECLINED. Default ["pm_card_declined"], the checkout page's test card that is declined. */
  declineTokens: z.array(z.string().min(1).max(200)).max(1000),
  /**
   * Payment-method tokens whose charge requires the shopper to act (3-D Secure): answered 201
   * `{ chargeId, status: "requires_action", nextAction: { type: "redirect", url } }` and kept as a
   * pending charge (ledger `charge-pending`) until the challenge page at `url` settles it: nothing
   * is taken before. Default ["pm_card_3ds_required"], the checkout page's test card that needs authentication.
   */
  requiresActionTokens: z.array(z.string().min(1).max(200)).max(1000),
  /**
   * How long a challenge waits for the shopper, in ms, before it expires as declined
   * AUTHENTICATION_ABANDONED. Read when the challenge is asked: a change applies to later ones.
   * Default CHALLENGE_TTL_MS (10 minutes).
   */
  challengeTtlMs: z.number().int().min(1).max(MAX_CHALLENGE_TTL_MS),
  /** Where the charge.settled webhooks are POSTed; read at each attempt. Default WEBHOOK_URL; null: no webhook is sent. */
  webhookUrl: HttpUrl.nullable(),
  /** How many times each webhook is delivered, one copy after the other got its 2xx: 2 or more sends duplicates on purpose. Default 1. */
  webhookDeliveries: z.number().int().min(1).max(5),
  /** When true, deliveries wait (queued, retries included) until it is false again, so a webhook can arrive late. Default false. */
  webhookPaused: z.boolean(),
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

/** The challenges' expiry default, as CHALLENGE_TTL_MS has it: 10 minutes. */
export const DEFAULT_CHALLENGE_TTL_MS = 600_000;

/** Billing Gates' control state, which tells who listens when it changes: held webhooks go out once `webhookPaused` is lifted. */
export class BillingControlState extends ControlState<BillingControl> {
  readonly #listeners: Array<(control: Readonly<BillingControl>) => void> = [];

  onChange(listener: (control: Readonly<BillingControl>) => void): void {
    this.#listeners.push(listener);
  }

  override update(body: unknown): ControlUpdate<BillingControl> {
    const result = super.update(body);
    if (result.ok) for (const listener of this.#listeners) listener(result.control);
    return result;
  }
}

export function createBillingControl(initial: Partial<BillingControl> = {}): BillingControlState {
  return new BillingControlState(BillingControl.partial().strict(), {
    ...DEFAULT_BASE_CONTROL,
    declineTokens: [DECLINED_TEST_CARD],
    requiresActionTokens: [THREE_DS_TEST_CARD],
    challengeTtlMs: DEFAULT_CHALLENGE_TTL_MS,
    webhookUrl: null,
    webhookDeliveries: 1,
    webhookPaused: false,
    refuseLookups: false,
    refuseRefunds: false,
    maxChargesPerSecond: null,
    ...initial,
  });
}
