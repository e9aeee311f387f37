/** What the shopper reads at each point of the payment: plain words, never codes. */
import { isAuthenticationDecline } from '../../contracts/authentication-declines.js';
import type { PaymentSnapshot } from '../../contracts/payment-status.js';
import { CHARGE_UNRESOLVED, type Reason } from '../../contracts/reason.js';

export type ViewState =
  /** Pay was pressed; the BFF has not answered yet. */
  | { kind: 'sending' }
  | { kind: 'snapshot'; snapshot: PaymentSnapshot }
  /** Confirmed, but the one-time sign-in token expired before this page could use it. */
  | { kind: 'sign-in-expired' }
  /** The BFF no longer knows the payment this tab was following. */
  | { kind: 'lost' }
  /** Back from the bank's challenge; the payment waits on the bank's word (its webhook), and the server's notice while settling it keeps failing. */
  | { kind: 'awaiting-bank'; notice?: Reason | undefined };

export type StepState = 'todo' | 'current' | 'done' | 'failed';
export type Tone = 'working' | 'good' | 'bad';
export type Action = 'try-again' | 'start-over' | 'open-workspace';

export interface StatusWords {
  title: string;
  detail: string;
  /** The reason the payment did not go through, as the system worded it for the shopper. */
  reason?: string;
  tone: Tone;
  steps: { payment: StepState; account: StepState; signIn: StepState };
  action?: Action;
  /** The detail is the server's own word on why the wait is long (a notice): the page's guess is not needed. */
  fromServer?: true;
}

const PROCESSING: StatusWords = {
  title: 'Processing your payment…',
  detail: 'We are confirming the payment with your card issuer. This usually takes a few seconds; please keep this page open.',
  tone: 'working',
  steps: { payment: 'current', account: 'todo', signIn: 'todo' },
};

export function describe(state: ViewState): StatusWords {
  switch (state.kind) {
    case 'sending':
      return PROCESSING;
    case 'sign-in-expired':
      return {
        title: 'Your workspace is ready',
        detail: 'The automatic sign-in link expired before we could use it. Sign in to your workspace with the email address you paid with.',
        tone: 'good',
        steps: { payment: 'done', account: 'done', signIn: 'failed' },
        action: 'open-workspace',
      };
    case 'lost':
      return {
        title: 'We can no longer follow this payment',
        detail: 'This page lost track of it and cannot show how it ended. Before you pay again, check your card statement for a charge from Workspace.',
        tone: 'bad',
        steps: { payment: 'failed', account: 'todo', signIn: 'todo' },
        action: 'start-over',
      };
    case 'awaiting-bank':
      return {
        title: 'Waiting for your bank’s answer…',
        detail: 'You are back from your bank. As soon as it tells us how the confirmation went, we carry on; nothing is charged unless you confirmed.',
        tone: 'working',
        steps: { payment: 'current', account: 'todo', signIn: 'todo' },
        ...(state.notice === undefined ? {} : { detail: state.notice.message, fromServer: true }),
      };
    case 'snapshot':
      return describeSnapshot(state.snapshot);
  }
}

function describeSnapshot(snapshot: PaymentSnapshot): StatusWords {
  const words = describeStatus(snapshot);
  // A notice belongs to a waiting status; the server drops it with the next status, and a terminal
  // status says everything itself.
  if (snapshot.notice === undefined || words.tone !== 'working') return words;
  return { ...words, detail: snapshot.notice.message, fromServer: true };
}

function describeStatus({ status, reason, signIn }: PaymentSnapshot): StatusWords {
  switch (status) {
    case 'processing':
      return PROCESSING;
    case 'requires_action':
      return {
        title: 'Your bank needs you to confirm this payment',
        detail:
          'Your bank asked you to confirm that it is you. We are taking you to your bank now; once you have confirmed there, you come back here. Nothing is charged until you confirm.',
        tone: 'working',
        steps: { payment: 'current', account: 'todo', signIn: 'todo' },
      };
    case 'paid':
      return {
        title: 'Payment received, setting up your account…',
        detail: 'Your payment went through. We are creating your workspace and will sign you in as soon as it is ready.',
        tone: 'working',
        steps: { payment: 'done', account: 'current', signIn: 'todo' },
      };
    case 'confirmed':
      // Confirmed with nothing to sign in with (Udi would not issue a token, or the server cannot
      // open it): said plainly, never a spinner that waits for a sign-in that cannot come.
      if (signIn === undefined) {
        return {
          title: 'Your workspace is ready',
          detail: 'We could not sign you in automatically. Sign in to your workspace with the email address you paid with.',
          tone: 'good',
          steps: { payment: 'done', account: 'done', signIn: 'failed' },
        };
      }
      return {
        title: 'You are all set! Signing you in…',
        detail: 'Your workspace is ready. Taking you there now.',
        tone: 'good',
        steps: { payment: 'done', account: 'done', signIn: 'current' },
      };
    case 'failed':
      // No action: paying again could charge a second time while the first is not settled.
      if (reason?.code === CHARGE_UNRESOLVED) {
        return {
          title: 'We could not confirm your payment',
          detail:
            'The card processor did not tell us whether your card was charged. Our support team has been alerted and will return any charge; please do not pay again until you hear from us.',
          reason: reason.message,
          tone: 'bad',
          steps: { payment: 'failed', account: 'todo', signIn: 'todo' },
        };
      }
      if (reason !== undefined && isAuthenticationDecline(reason.code)) {
        return {
          title: 'Your bank did not confirm the payment',
          detail: 'You have not been charged. You can try again; your bank will ask you to confirm once more.',
          reason: reason.message,
          tone: 'bad',
          steps: { payment: 'failed', account: 'todo', signIn: 'todo' },
          action: 'try-again',
        };
      }
      return {
        title: 'Your payment was declined',
        detail: 'You have not been charged. You can try again, with another card if you have one.',
        reason: reason?.message ?? 'The payment could not be completed.',
        tone: 'bad',
        steps: { payment: 'failed', account: 'todo', signIn: 'todo' },
        action: 'try-again',
      };
    case 'refunded':
      return {
        title: 'We could not set up your workspace',
        detail: 'Your payment has been refunded in full. You can try again.',
        reason: reason?.message ?? 'Your account could not be created.',
        tone: 'bad',
        steps: { payment: 'done', account: 'failed', signIn: 'todo' },
        action: 'try-again',
      };
    case 'refund_failed':
      // No action: paying again would charge a second time while the first is not yet returned.
      return {
        title: 'We could not set up your workspace',
        detail:
          'Your payment went through, but the automatic refund did not. Our support team has been alerted and will return your payment; you do not need to do anything.',
        reason: reason?.message ?? 'The automatic refund did not go through.',
        tone: 'bad',
        steps: { payment: 'done', account: 'failed', signIn: 'todo' },
      };
    default:
      return unreachable(status);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown payment status ${String(value)}`);
}

/** Said once no terminal status has arrived for a while: honest, and the wait goes on. */
export const TAKING_LONGER =
  'This is taking longer than usual. We are still working on it and will carry you on as soon as it is done; you will not be charged twice.';

/**
 * The page's own guess that the payment is slow (`slow`: no terminal status for a while), said
 * only while the payment is still under way and the server has not said more itself.
 */
export function slowNote(words: StatusWords, slow: boolean): string | undefined {
  return slow && words.tone === 'working' && words.fromServer !== true ? TAKING_LONGER : undefined;
}
