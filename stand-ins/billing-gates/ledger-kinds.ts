import type { Ledger } from '../common/ledger.js';

export type BillingLedgerKind = 'charge' | 'decline' | 'refund';
export type BillingLedger = Ledger<BillingLedgerKind>;
