import {
  perStatus,
  STATUSES,
  type DelayedStep,
  type PaymentDelayed,
  type PaymentEvent,
  type PaymentSnapshot,
  type PaymentStatusName,
} from '../../contracts/index.js';

/**
 * The only moves between statuses (each status's `next` in lifecycle.ts); anything else (going
 * back, leaving a terminal status) is ignored. Each goes to a higher STATUS_RANK
 * (contracts/snapshot-order.ts), which is how a client orders snapshots once a lost one was
 * started again from seq 0.
 */
export const NEXT: Readonly<Record<PaymentStatusName, readonly PaymentStatusName[]>> = perStatus((status) => STATUSES[status].next);

/**
 * The status a payment waits in while each step is tried: a notice is shown only there. The refund
 * follows a failed order, which moves no status, so a payment being refunded is still `paid`. A
 * charge notice is not shown in `requires_action`: one read late, from before the bank's challenge,
 * would replace the words that ask the shopper to confirm. Settling the charge after the challenge
 * (Billing Gates' lookup failing) is a step of its own, shown there.
 */
const WAITING_IN: Record<DelayedStep, PaymentStatusName> = { charge: 'processing', order: 'paid', refund: 'paid', settle: 'requires_action' };

export interface ProjectionContext {
  /** The SaaS app's SSO landing, where the browser posts the token. */
  signInLandingUrl: string;
  now: Date;
}

/** The snapshot of a payment just accepted. */
export function acceptedSnapshot(paymentId: string, now: Date): PaymentSnapshot {
  return { ...initialSnapshot(paymentId, now), acceptedAt: now.toISOString() };
}

/** Seconds from the payment's 202 to this snapshot, when the acceptance time is known. */
export function secondsSinceAccepted(snapshot: PaymentSnapshot): number | undefined {
  if (snapshot.acceptedAt === undefined) return undefined;
  return Math.max(0, (Date.parse(snapshot.updatedAt) - Date.parse(snapshot.acceptedAt)) / 1000);
}

/** The snapshot to start from when none is stored (it expired, or Redis lost it): its acceptance time is unknown. */
export function initialSnapshot(paymentId: string, now: Date): PaymentSnapshot {
  return { paymentId, status: 'processing', seq: 0, updatedAt: now.toISOString() };
}

/**
 * Folds one event into a payment's snapshot. Returns the next snapshot, or null when the
 * event changes nothing (a redelivery, an event that arrives after a later one, or one
 * that does not move the status). A status change drops any notice; a notice (PaymentDelayed)
 * changes only the notice. Pure: no I/O, so it is safe to retry.
 */
export function projectSnapshot(current: PaymentSnapshot, event: PaymentEvent, ctx: ProjectionContext): PaymentSnapshot | null {
  const effect = effectOf(event, ctx);
  switch (effect.kind) {
    case 'none':
      return null;
    case 'notice':
      return projectNotice(current, effect.event, ctx);
    case 'status': {
      if (!NEXT[current.status].includes(effect.change.status)) return null;
      const accepted = current.acceptedAt === undefined ? {} : { acceptedAt: current.acceptedAt };
      return { paymentId: current.paymentId, seq: current.seq + 1, updatedAt: ctx.now.toISOString(), ...accepted, ...effect.change };
    }
    default: {
      const unhandled: never = effect;
      throw new Error(`unhandled effect ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * A notice is shown while the payment still waits for the step it is about: notices travel on a
 * topic of their own, so one may be read after the step's outcome (a charge notice once the
 * payment is paid), and is then out of date. The same words again change nothing.
 */
function projectNotice(current: PaymentSnapshot, event: PaymentDelayed, ctx: ProjectionContext): PaymentSnapshot | null {
  const { step, since, notice } = event.data;
  if (current.status !== WAITING_IN[step]) return null;
  if (current.notice?.code === notice.code && current.notice.message === notice.message) return null;
  return { ...current, seq: current.seq + 1, updatedAt: ctx.now.toISOString(), notice: { ...notice, since } };
}

/**
 * Whether the snapshot already shows what the event says: its status, or for a notice its words
 * while the payment waits in the step's status. Such an event may be a redelivery of the one that
 * made the snapshot, or a notice repeated while the step still fails; either way its push may have
 * been lost with a replica, so it is pushed again.
 */
export function alreadyShows(snapshot: PaymentSnapshot, event: PaymentEvent): boolean {
  const effect = effectOf(event, { signInLandingUrl: '', now: new Date(0) });
  switch (effect.kind) {
    case 'none':
      return false;
    case 'notice': {
      const { step, notice } = effect.event.data;
      return snapshot.status === WAITING_IN[step] && snapshot.notice?.code === notice.code && snapshot.notice.message === notice.message;
    }
    case 'status':
      return snapshot.status === effect.change.status;
    default: {
      const unhandled: never = effect;
      throw new Error(`unhandled effect ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The status an event moves a payment to, or null for one that moves nothing by itself. */
export function statusAfter(event: PaymentEvent): PaymentStatusName | null {
  const effect = effectOf(event, { signInLandingUrl: '', now: new Date(0) });
  return effect.kind === 'status' ? effect.change.status : null;
}

type Change = Omit<PaymentSnapshot, 'paymentId' | 'seq' | 'updatedAt'>;

/** What an event does to what the shopper sees: moves the status (with what the new status carries), changes the notice, or nothing by itself. */
type Effect = { kind: 'status'; change: Change } | { kind: 'notice'; event: PaymentDelayed } | { kind: 'none' };

const NONE: Effect = { kind: 'none' };
const status = (change: Change): Effect => ({ kind: 'status', change });

function effectOf(event: PaymentEvent, ctx: ProjectionContext): Effect {
  switch (event.type) {
    case 'PaymentInitiated':
      return NONE;
    case 'PaymentRequiresAction':
      // The URL goes with this status only: the next status's snapshot is made without it.
      return status({ status: 'requires_action', nextAction: event.data.nextAction });
    case 'ChargeActionSettled':
    case 'ChargeActionExpired':
      // Billing Gates' word that the charge settled, or the deadline sweep's that nothing did, for
      // the billing worker to confirm: the shopper hears of it with PaymentSucceeded or PaymentFailed.
      return NONE;
    case 'PaymentSucceeded':
      return status({ status: 'paid' });
    case 'PaymentFailed':
      return status({ status: 'failed', reason: event.data.reason });
    case 'OrderConfirmed':
      if ('signInUnavailable' in event.data) return status({ status: 'confirmed', reason: event.data.signInUnavailable });
      return status({
        status: 'confirmed',
        signIn: {
          // Still sealed: opened only when pushed to the payer (reveal-snapshot.ts).
          ssoToken: event.data.encryptedSsoToken,
          expiresAt: event.data.ssoTokenExpiresAt,
          landingUrl: ctx.signInLandingUrl,
        },
      });
    case 'OrderFailed':
      // The charge is being returned; the shopper hears of it with PaymentRefunded or RefundFailed.
      return NONE;
    case 'PaymentRefunded':
      return status({ status: 'refunded', reason: event.data.reason });
    case 'RefundFailed':
      return status({ status: 'refund_failed', reason: event.data.reason });
    case 'RefundedByHand':
      return status({ status: 'refunded', reason: event.data.reason });
    case 'PaymentDelayed':
      // A notice changes no status (projectNotice).
      return { kind: 'notice', event };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled event ${JSON.stringify(unhandled)}`);
    }
  }
}
