import type { EmailLookup, PaymentLookup, PaymentRecord, PaymentSnapshot } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import type { PaymentStore } from '../payments/payment-store.js';
import type { HistoryReader } from './history-reader.js';

/** The payment lookup's answers: a payment's current status and timeline, and its email's other payments. */
export class PaymentLookupService {
  constructor(
    private readonly reader: HistoryReader,
    private readonly payments: PaymentStore,
  ) {}

  /** The payment and the other recent payments of its email; null when neither its status nor its history is known. */
  async byPaymentId(paymentId: string): Promise<PaymentLookup | null> {
    const payment = await this.record(paymentId);
    if (payment.current === null && payment.timeline.length === 0) return null;
    const email = emailOf(payment);
    const others = email === undefined ? [] : (await this.reader.paymentsOf(email)).filter((id) => id !== paymentId);
    return { payment, sameEmail: await Promise.all(others.map((id) => this.record(id))) };
  }

  /** The email's recent payments, newest first. */
  async byEmail(email: string): Promise<EmailLookup> {
    const ids = await this.reader.paymentsOf(email);
    return { email, payments: await Promise.all(ids.map((id) => this.record(id))) };
  }

  private async record(paymentId: string): Promise<PaymentRecord> {
    // A snapshot that cannot be read still leaves the timeline to show; Redis failing fails the lookup.
    const readable = this.payments.snapshot(paymentId).catch((err: unknown) => {
      if (err instanceof PermanentError) return null;
      throw err;
    });
    const [snapshot, timeline] = await Promise.all([readable, this.reader.timeline(paymentId)]);
    return { paymentId, current: snapshot === null ? null : current(snapshot), timeline };
  }
}

/** What an operator may see of a snapshot: the status and its why, never the sign-in. */
function current({ status, updatedAt, acceptedAt, reason, notice }: PaymentSnapshot): NonNullable<PaymentRecord['current']> {
  return {
    status,
    updatedAt,
    ...(acceptedAt === undefined ? {} : { acceptedAt }),
    ...(reason === undefined ? {} : { reason }),
    ...(notice === undefined ? {} : { notice }),
  };
}

function emailOf(payment: PaymentRecord): string | undefined {
  for (const entry of payment.timeline) if (entry.kind === 'accepted') return entry.email;
  return undefined;
}
