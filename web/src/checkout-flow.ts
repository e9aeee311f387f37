/**
 * One shopper's way through the checkout: Pay → processing → paid → confirmed → into the SaaS
 * app, or declined / refunded → try again. Survives reloads through payment-session.ts.
 */
import type { PaymentRequest } from '../../contracts/payment-api.js';
import { isTerminal, type PaymentSnapshot } from '../../contracts/payment-status.js';
import { CheckoutError, postPayment } from './api.js';
import type { CheckoutForm } from './checkout-form.js';
import {
  attemptFor,
  clearAttempt,
  clearSession,
  forgetPayment,
  loadAttempt,
  loadPayment,
  saveAttempt,
  savePayment,
  type PaymentAttempt,
  type PaymentCredentials,
} from './payment-session.js';
import { hasExpired, signIn } from './sign-in.js';
import { watchPayment } from './status-stream.js';
import type { StatusView } from './status-view.js';
import type { ViewState } from './status-words.js';

/**
 * With no terminal status after this long, the page says it is taking longer than usual: its own
 * guess, for when the server has said nothing. A notice from the server (a step that keeps
 * failing) replaces it with what the server knows (status-words.ts).
 */
const SLOW_AFTER_MS = 20_000;

/** How long the page shows that the bank needs the shopper before it takes them there: time to read it. */
const TO_THE_BANK_AFTER_MS = 1_500;
/** The query parameter of the address the bank's challenge sends the shopper back to. */
const BACK_FROM_BANK = 'back-from-bank';

export class CheckoutFlow {
  private bankTimer: number | undefined;
  private lastRequest: PaymentRequest | undefined;
  private slowTimer: number | undefined;
  private workspaceUrl: string | undefined;

  constructor(
    private readonly form: CheckoutForm,
    private readonly status: StatusView,
    actionButton: HTMLButtonElement,
  ) {
    form.onPay((request) => void this.send(attemptFor(request)));
    actionButton.addEventListener('click', () => this.act());
  }

  /** Picks up where this tab left off before a reload, if anywhere. */
  resume(): void {
    const attempt = loadAttempt();
    if (attempt) {
      this.lastRequest = attempt.request;
      this.form.fill(attempt.request);
    }
    const payment = loadPayment();
    if (payment) {
      this.enterStatus({ kind: 'sending' });
      this.follow(payment);
      return;
    }
    // Reloaded while Pay was on its way: the same key and body get the payment the BFF may
    // already have accepted, or create it. One the BFF answered with an error waits for Pay.
    if (attempt?.inFlight) void this.send(attempt);
  }

  private async send(attempt: PaymentAttempt): Promise<void> {
    this.lastRequest = attempt.request;
    this.form.setBusy(true);
    this.enterStatus({ kind: 'sending' });
    saveAttempt({ ...attempt, inFlight: true });
    try {
      const { paymentId, clientSecret } = await postPayment(attempt.request, attempt.idempotencyKey);
      savePayment({ paymentId, clientSecret });
      this.follow({ paymentId, clientSecret });
    } catch (err) {
      const error = err instanceof CheckoutError ? err : new CheckoutError('UNEXPECTED', 'Something went wrong. Please try again.', true);
      // Without an answer (the connection dropped, or a reload cancelled the request) the BFF may
      // have accepted the payment: the attempt stays in flight, so a reload asks again. Either
      // way a retryable failure keeps the key, so pressing Pay again cannot pay twice.
      if (error.code === 'NETWORK') saveAttempt({ ...attempt, inFlight: true });
      else if (error.retryable) saveAttempt({ ...attempt, inFlight: false });
      else clearAttempt();
      this.backToForm();
      this.form.showError(error.message, error.fields);
    }
  }

  private follow(credentials: PaymentCredentials): void {
    watchPayment(credentials, {
      onSnapshot: (snapshot) => this.onSnapshot(snapshot),
      onLost: () => this.lose(),
    });
  }

  private onSnapshot(snapshot: PaymentSnapshot): void {
    if (snapshot.status === 'requires_action' && snapshot.nextAction !== undefined) {
      this.toTheBank(snapshot, snapshot.nextAction.url);
      return;
    }
    if (!isTerminal(snapshot.status)) {
      this.status.show({ kind: 'snapshot', snapshot });
      return;
    }
    if (snapshot.status !== 'confirmed') {
      this.finish({ kind: 'snapshot', snapshot });
      return;
    }
    const { signIn: landing } = snapshot;
    if (!landing) {
      this.finish({ kind: 'snapshot', snapshot });
      return;
    }
    this.workspaceUrl = new URL('/', landing.landingUrl).href;
    if (hasExpired(landing)) {
      this.finish({ kind: 'sign-in-expired' });
      return;
    }
    this.finish({ kind: 'snapshot', snapshot });
    signIn(landing);
  }

  /**
   * The bank needs the shopper: the page says so, then sends the browser to the bank's challenge,
   * which sends it back here, marked as back from the bank (this page, reloaded: the payment is
   * resumed from the session). Back from it, the page waits for the bank's word instead of sending
   * the shopper there again; a shopper who left the challenge unanswered and reloads the checkout
   * is sent to it again.
   */
  private toTheBank(snapshot: PaymentSnapshot, challengeUrl: string): void {
    if (new URL(window.location.href).searchParams.get(BACK_FROM_BANK) !== null) {
      this.status.show({ kind: 'awaiting-bank', notice: snapshot.notice });
      return;
    }
    this.status.show({ kind: 'snapshot', snapshot });
    if (this.bankTimer !== undefined) return;
    this.bankTimer = window.setTimeout(() => {
      const back = new URL(window.location.href);
      back.searchParams.set(BACK_FROM_BANK, '1');
      const url = new URL(challengeUrl);
      url.searchParams.set('returnUrl', back.href);
      window.location.assign(url.href);
    }, TO_THE_BANK_AFTER_MS);
  }

  /** The payment ended: forget it, so a reload or Pay starts afresh. */
  private finish(state: ViewState): void {
    clearSession();
    forgetTheBank();
    this.stopWaiting(state);
  }

  /**
   * The BFF says it knows no such payment. It may still have been charged (or be charged yet), so
   * the Idempotency-Key stays: Pay with the same details names the same payment, never a second.
   */
  private lose(): void {
    forgetPayment();
    this.stopWaiting({ kind: 'lost' });
  }

  private stopWaiting(state: ViewState): void {
    window.clearTimeout(this.slowTimer);
    this.status.setSlow(false);
    this.status.show(state);
  }

  private enterStatus(state: ViewState): void {
    this.form.setVisible(false);
    this.status.show(state);
    window.clearTimeout(this.slowTimer);
    this.slowTimer = window.setTimeout(() => this.status.setSlow(true), SLOW_AFTER_MS);
  }

  private backToForm(): void {
    window.clearTimeout(this.slowTimer);
    this.status.hide();
    this.form.setVisible(true);
    this.form.setBusy(false);
    if (this.lastRequest) this.form.fill(this.lastRequest);
    this.form.focus();
  }

  /** The button under a terminal status: try again, start over, or go to the workspace. */
  private act(): void {
    if (this.status.action === 'open-workspace' && this.workspaceUrl) {
      location.assign(this.workspaceUrl);
      return;
    }
    this.backToForm();
  }
}

/** The address without the mark of a return from the bank, so that a later payment in this tab is sent to its own challenge. */
function forgetTheBank(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(BACK_FROM_BANK)) return;
  url.searchParams.delete(BACK_FROM_BANK);
  window.history.replaceState(window.history.state, '', url.href);
}
