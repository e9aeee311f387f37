import type { Ledger } from '../common/ledger.js';

export type BillingLedgerKind = 'charge' | 'charge-pending' | 'decline' | 'void' | 'refund' | 'refund-refused';
export type BillingLedger = Ledger<BillingLedgerKind>;
