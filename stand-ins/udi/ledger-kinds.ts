import type { Ledger } from '../common/ledger.js';

export type UdiLedgerKind =
  | 'order-created'
  | 'order-rejected'
  | 'order-cancelled'
  | 'create-refused'
  | 'confirm'
  | 'confirm-refused'
  | 'sso-token-issued'
  | 'sso-token-exchanged'
  | 'sso-token-refused';
export type UdiLedger = Ledger<UdiLedgerKind>;
