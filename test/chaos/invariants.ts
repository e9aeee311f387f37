import type { PaymentSnapshot } from '../../contracts/index.js';
import { isTerminal } from '../../contracts/index.js';
import type { Accepted } from './load.js';

export interface LedgerEntry {
  kind: string;
  paymentId: string | null;
}

async function ledger(url: string): Promise<LedgerEntry[]> {
  return ((await (await fetch(`${url}/__ledger`)).json()) as { entries: LedgerEntry[] }).entries;
}

async function snapshot(bffUrl: string, payment: Accepted): Promise<PaymentSnapshot | null> {
  try {
    const response = await fetch(`${bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
    return response.ok ? ((await response.json()) as PaymentSnapshot) : null;
  } catch {
    return null;
  }
}

/** Polls until every accepted payment has a terminal snapshot; returns them, or throws naming the stuck ones. */
export async function waitForTerminal(bffUrl: string, payments: Accepted[], timeoutMs: number): Promise<Map<string, PaymentSnapshot>> {
  const done = new Map<string, PaymentSnapshot>();
  const deadline = Date.now() + timeoutMs;
  while (done.size < payments.length) {
    const pending = payments.filter((p) => !done.has(p.paymentId));
    for (let i = 0; i < pending.length; i += 50) {
      const batch = pending.slice(i, i + 50);
      const snapshots = await Promise.all(batch.map((p) => snapshot(bffUrl, p)));
      snapshots.forEach((s, j) => {
        if (s && isTerminal(s.status)) done.set(batch[j]!.paymentId, s);
      });
    }
    if (done.size === payments.length) break;
    if (Date.now() > deadline) {
      const stuck = payments.filter((p) => !done.has(p.paymentId)).map((p) => p.paymentId);
      throw new Error(`${stuck.length} of ${payments.length} payments reached no terminal status: ${stuck.slice(0, 5).join(', ')}…`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return done;
}

export interface Counts {
  payments: number;
  confirmed: number;
  failed: number;
  refunded: number;
  charges: number;
  refunds: number;
  duplicateCharges: number;
  chargedWithoutOrderOrRefund: number;
  /** Snapshots that say confirmed or refunded without the matching ledger entries. */
  statusWithoutEffect: number;
}

/**
 * The guarantees, read from the stand-ins' ledgers and the snapshots: at most one charge per
 * payment, and every charge either has a confirmed order or a refund.
 */
export async function checkLedgers(urls: { billingGates: string; udi: string }, snapshots: Map<string, PaymentSnapshot>): Promise<Counts> {
  // The ledgers hold every scenario's payments: count this scenario's only.
  const mine = (entry: LedgerEntry) => entry.paymentId !== null && snapshots.has(entry.paymentId);
  const billing = (await ledger(urls.billingGates)).filter(mine);
  const udi = (await ledger(urls.udi)).filter(mine);
  const count = (entries: LedgerEntry[], kind: string) => {
    const byPayment = new Map<string, number>();
    for (const entry of entries) if (entry.kind === kind && entry.paymentId) byPayment.set(entry.paymentId, (byPayment.get(entry.paymentId) ?? 0) + 1);
    return byPayment;
  };
  const charges = count(billing, 'charge');
  const refunds = count(billing, 'refund');
  const confirms = count(udi, 'confirm');
  const statuses = [...snapshots.values()].map((s) => s.status);
  return {
    payments: snapshots.size,
    confirmed: statuses.filter((s) => s === 'confirmed').length,
    failed: statuses.filter((s) => s === 'failed').length,
    refunded: statuses.filter((s) => s === 'refunded').length,
    charges: [...charges.values()].reduce((a, b) => a + b, 0),
    refunds: [...refunds.values()].reduce((a, b) => a + b, 0),
    duplicateCharges: [...charges.values()].filter((n) => n > 1).length,
    chargedWithoutOrderOrRefund: [...charges.keys()].filter((id) => !confirms.has(id) && !refunds.has(id)).length,
    statusWithoutEffect: [...snapshots.values()].filter(
      (s) => (s.status === 'confirmed' && !(charges.has(s.paymentId) && confirms.has(s.paymentId))) || (s.status === 'refunded' && !refunds.has(s.paymentId)),
    ).length,
  };
}
