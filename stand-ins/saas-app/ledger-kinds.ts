import type { Ledger } from '../common/ledger.js';

export type SaasLedgerKind = 'sign-in' | 'sign-in-refused';
export type SaasLedger = Ledger<SaasLedgerKind>;
