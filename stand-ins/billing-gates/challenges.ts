import type { ChargeSettledWebhook } from '../../contracts/charge-webhook.js';
import type { Logger } from '../../lib/logger.js';
import type { BillingBook, NextAction } from './book.js';
import { newId } from './ids.js';
import type { BillingLedger } from './ledger-kinds.js';
import type { BillingGatesMetrics } from './metrics.js';
import { chargeSettledEvent, settlePendingCharge, type ChallengeEnd } from './settle-charge.js';

/** The challenge of a pending charge. Its id is its page's address: unguessable, so only the shopper sent there can answer it. */
export interface Challenge {
  challengeId: string;
  idempotencyKey: string;
  paymentId: string;
  /** When it expires as AUTHENTICATION_ABANDONED (ms since the epoch). */
  expiresAt: number;
}

interface ChallengesDeps {
  book: BillingBook;
  ledger: BillingLedger;
  control: { readonly current: { challengeTtlMs: number } };
  webhooks: { send(event: ChargeSettledWebhook): void };
  metrics: Pick<BillingGatesMetrics, 'challenges'>;
  logger: Logger;
}

/**
 * The challenges (3-D Secure) of pending charges, from asked to settled: each ends completed or
 * failed by the shopper's answer, or abandoned once `challengeTtlMs` has passed, and its end
 * settles the charge (settle-charge.ts) and sends the charge.settled webhook. Expiry has a timer,
 * and is also checked whenever the charge is read (`expireIfDue`), so an answer, a lookup or a
 * void after the deadline finds it abandoned however late the timer fires. In memory only.
 */
export class Challenges {
  readonly #deps: ChallengesDeps;
  readonly #byId = new Map<string, Challenge>();
  readonly #byKey = new Map<string, Challenge>();
  readonly #expiries = new Map<string, NodeJS.Timeout>();

  constructor(deps: ChallengesDeps) {
    this.#deps = deps;
  }

  /** A challenge for the pending charge under `idempotencyKey`, its page served under `baseUrl`; its expiry is armed. */
  ask(idempotencyKey: string, paymentId: string, baseUrl: string): NextAction {
    const ttlMs = this.#deps.control.current.challengeTtlMs;
    const challenge: Challenge = { challengeId: newId('chl'), idempotencyKey, paymentId, expiresAt: Date.now() + ttlMs };
    this.#byId.set(challenge.challengeId, challenge);
    this.#byKey.set(idempotencyKey, challenge);
    // Ends it as it fires, without comparing clocks: a timer may fire a millisecond before Date.now() reaches expiresAt.
    const expiry = setTimeout(() => this.end(challenge, 'abandoned'), ttlMs);
    // Not ref'd: a challenge waiting for its shopper never keeps the process alive on its own.
    expiry.unref();
    this.#expiries.set(challenge.challengeId, expiry);
    this.#deps.metrics.challenges.inc({ event: 'asked' });
    this.#deps.logger.info({ paymentId, idempotencyKey, challengeId: challenge.challengeId, ttlMs }, 'challenge asked: the shopper must authenticate');
    return { type: 'redirect', url: `${baseUrl.replace(/\/+$/, '')}/challenges/${challenge.challengeId}` };
  }

  find(challengeId: string): Challenge | undefined {
    return this.#byId.get(challengeId);
  }

  /** Settles as abandoned the challenge of the charge under `idempotencyKey` if its time is up and it is still pending. */
  expireIfDue(idempotencyKey: string): void {
    const challenge = this.#byKey.get(idempotencyKey);
    if (challenge !== undefined && Date.now() >= challenge.expiresAt) this.end(challenge, 'abandoned');
  }

  /** Settles the challenge's charge; false when it was no longer pending (settled or voided already), and then nothing changed. */
  end(challenge: Challenge, end: ChallengeEnd): boolean {
    const { challengeId, idempotencyKey, paymentId } = challenge;
    clearTimeout(this.#expiries.get(challengeId));
    this.#expiries.delete(challengeId);
    const settled = settlePendingCharge(this.#deps.book, this.#deps.ledger, idempotencyKey, end);
    if (settled === undefined) return false;
    this.#deps.metrics.challenges.inc({ event: end });
    this.#deps.logger.info({ paymentId, idempotencyKey, challengeId, outcome: settled.outcome }, `challenge ${end}: charge settled`);
    this.#deps.webhooks.send(chargeSettledEvent(settled));
    return true;
  }

  /** Disarms every expiry: the challenges still pending stay so (as after a restart, which forgets them). */
  stop(): void {
    for (const expiry of this.#expiries.values()) clearTimeout(expiry);
    this.#expiries.clear();
  }
}
