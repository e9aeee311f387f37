/**
 * Checks of what Billing Gates and Udi did, read from the stand-ins' ledgers, for tests that run
 * against any deployment. Where the ledgers cannot be read (PAYFLOW_STAND_INS=none: the real
 * Billing Gates and Udi), each check is listed in the report as not made, and the test goes on.
 */
import type { TestInfo } from '@playwright/test';
import type { Ledger } from './stand-ins.js';

export interface LedgerSet {
  billingGates: Ledger;
  udi: Ledger;
}

export class Ledgers {
  constructor(
    private readonly ledgers: LedgerSet | undefined,
    private readonly testInfo: TestInfo,
  ) {}

  /** Runs `check` on the ledgers, e.g. check('one charge', async ({ billingGates }) => …). */
  async check(what: string, check: (ledgers: LedgerSet) => Promise<void>): Promise<void> {
    if (this.ledgers === undefined) {
      this.testInfo.annotations.push({
        type: 'not checked',
        description: `${what}: PAYFLOW_STAND_INS=none, the ledgers of Billing Gates and Udi cannot be read`,
      });
      return;
    }
    await check(this.ledgers);
  }
}
