import type { Ledger } from '../common/ledger.js';

export type BillingLedgerKind = 'charge' | 'decline' | 'refund' | 'refund-refused';
export type BillingLedger = Ledger<BillingLedgerKind>;
