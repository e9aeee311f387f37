import { z } from 'zod';

/** setTimeout fires at once for delays above 2^31-1 ms, so latency is capped well below that. */
export const MAX_LATENCY_MS = 600_000;

/** The knobs every stand-in has. Each stand-in extends this with its own fields. */
export const BaseControl = z.object({
  /** Wait before each business request is handled, in ms. */
  latencyMs: z.number().int().min(0).max(MAX_LATENCY_MS),
  /** Probability (0..1) that a business request fails with 500 INJECTED_ERROR after the wait. */
  errorRate: z.number().min(0).max(1),
  /** When true, every business request answers 503 SERVICE_DOWN at once. */
  down: z.boolean(),
  /**
   * Probability (0..1) that a business request is handled (its effect kept) but its 2xx JSON
   * answer is cut short, as a connection dropped mid-body or a proxy's truncation would leave it.
   */
  brokenAnswerRate: z.number().min(0).max(1),
  /**
   * How long, in ms, a call that changes something (a charge, a refund, an order, a confirmation)
   * is held after its request arrived and before its effect is made, `latencyMs` included. A
   * caller that times out meanwhile has not seen the effect, yet it happens later, as a request
   * still running inside a real service would; lookups are not held, so a test can put a lookup
   * before the effect it asks about. Default 0.
   */
  effectDelayMs: z.number().int().min(0).max(MAX_LATENCY_MS),
});
export type BaseControl = z.infer<typeof BaseControl>;

export const DEFAULT_BASE_CONTROL: BaseControl = { latencyMs: 0, errorRate: 0, down: false, brokenAnswerRate: 0, effectDelayMs: 0 };

/** The read side of a control state, which is all the control middleware needs. */
export interface ControlReader {
  readonly current: Readonly<BaseControl>;
}

export type ControlUpdate<C> = { ok: true; control: C } | { ok: false; error: z.ZodError };

/**
 * The behaviour tests and demos set through POST /__control. An update names only the fields
 * it changes; a list field (e.g. `declineTokens`) is replaced as a whole.
 */
export class ControlState<C extends BaseControl> implements ControlReader {
  #current: C;

  /** `patch` is the stand-in's control schema made partial and strict (unknown fields are refused). */
  constructor(
    private readonly patch: z.ZodType<Partial<C>>,
    initial: C,
  ) {
    this.#current = { ...initial };
  }

  get current(): Readonly<C> {
    return this.#current;
  }

  update(body: unknown): ControlUpdate<C> {
    const parsed = this.patch.safeParse(body);
    if (!parsed.success) return { ok: false, error: parsed.error };
    this.#current = { ...this.#current, ...parsed.data };
    return { ok: true, control: this.#current };
  }
}
