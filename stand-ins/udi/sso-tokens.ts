import { createHash, randomBytes } from 'node:crypto';

/** Who a token signs in. */
export interface SsoSubject {
  email: string;
  orderId: string;
  paymentId: string;
}

interface Grant {
  subject: SsoSubject;
  expiresAt: number;
  used: boolean;
}

export type TokenRefusal = 'TOKEN_INVALID' | 'TOKEN_ALREADY_USED' | 'TOKEN_EXPIRED';

export type Redemption = { ok: true; subject: SsoSubject } | { ok: false; code: TokenRefusal; subject?: SsoSubject };

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * One-time, short-lived sign-in tokens. Only a token's sha256 is kept, so neither memory nor
 * logs ever hold a token that could still be used.
 */
export class SsoTokens {
  readonly #grants = new Map<string, Grant>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(subject: SsoSubject): { token: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.#grants.set(digest(token), { subject, expiresAt, used: false });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** Uses the token up. `subject` comes with a refusal when the token was real, for the ledger. */
  redeem(token: string): Redemption {
    const grant = this.#grants.get(digest(token));
    if (grant === undefined) return { ok: false, code: 'TOKEN_INVALID' };
    if (grant.used) return { ok: false, code: 'TOKEN_ALREADY_USED', subject: grant.subject };
    if (this.now() >= grant.expiresAt) return { ok: false, code: 'TOKEN_EXPIRED', subject: grant.subject };
    grant.used = true;
    return { ok: true, subject: grant.subject };
  }
}
