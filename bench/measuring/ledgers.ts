import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

const Ledger = z.object({ entries: z.array(z.object({ seq: z.number(), kind: z.string(), paymentId: z.string().nullable() })) });
type Entry = z.infer<typeof Ledger>['entries'][number];

export interface LedgerUrls {
  billingGates: string;
  udi: string;
}

/** Where each ledger stood before a run; only later entries belong to it (flows run one at a time). */
export interface LedgerMark {
  billing: number;
  udi: number;
}

/** What the downstream systems did for one run's shoppers, from their own ledgers. */
export interface LedgerOutcome {
  charged: number;
  refunded: number;
  confirmedOrders: number;
  /** Charged, not refunded, and no confirmed order: the case the seed warns about. */
  chargedWithoutOrder: number;
  /** An order created but never confirmed nor charged (the current flow leaves these when the charge fails). */
  unconfirmedOrders: number;
}

async function entries(url: string): Promise<Entry[]> {
  const response = await fetch(`${url}/__ledger`);
  return Ledger.parse(await response.json()).entries;
}

export async function markLedgers(urls: LedgerUrls): Promise<LedgerMark> {
  const [billing, udi] = await Promise.all([entries(urls.billingGates), entries(urls.udi)]);
  return { billing: billing.length, udi: udi.length };
}

/**
 * Reads both ledgers once they have stopped changing (retries still under way in the improved
 * flow finish first), bounded by `maxWaitMs`, and classifies each payment of the run.
 */
export async function settleLedgers(urls: LedgerUrls, mark: LedgerMark, maxWaitMs = 90_000): Promise<LedgerOutcome> {
  let previous = -1;
  let billing: Entry[] = [];
  let udi: Entry[] = [];
  for (const until = Date.now() + maxWaitMs; Date.now() < until; await sleep(2_000)) {
    [billing, udi] = await Promise.all([entries(urls.billingGates), entries(urls.udi)]);
    if (billing.length + udi.length === previous) break;
    previous = billing.length + udi.length;
  }
  const ids = (list: Entry[], from: number, kind: string) =>
    new Set(
      list
        .slice(from)
        .filter((e) => e.kind === kind)
        .map((e) => e.paymentId),
    );
  const charged = ids(billing, mark.billing, 'charge');
  const refunded = ids(billing, mark.billing, 'refund');
  const created = ids(udi, mark.udi, 'order-created');
  const confirmed = ids(udi, mark.udi, 'confirm');
  const count = (set: Set<string | null>, keep: (id: string | null) => boolean) => [...set].filter(keep).length;
  return {
    charged: charged.size,
    refunded: refunded.size,
    confirmedOrders: confirmed.size,
    chargedWithoutOrder: count(charged, (id) => !refunded.has(id) && !confirmed.has(id)),
    unconfirmedOrders: count(created, (id) => !confirmed.has(id) && !charged.has(id)),
  };
}
