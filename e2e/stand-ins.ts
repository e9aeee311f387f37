/**
 * What the tests ask of payflow's stand-ins for Billing Gates and Udi: shape their behaviour
 * (/__control; only tests tagged @stand-ins) and read their side effects (/__ledger).
 */
import { expect, type APIRequestContext } from '@playwright/test';
import { z } from 'zod';
import { parseEnv } from '../lib/env.js';

/**
 * The tag of a test that reshapes the stand-ins, or deletes a key in the system's Redis: it cannot
 * run against a deployment it does not own.
 */
export const STAND_INS_TAG = '@stand-ins';

const StandInsEnv = z.object({
  /** `none`: the system under test talks to the real Billing Gates and Udi; unset: to payflow's stand-ins. */
  PAYFLOW_STAND_INS: z.enum(['none']).optional(),
});

/** Whether the system under test has payflow's stand-ins to reshape and read; throws on a value other than `none`. */
export function standInsPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  return parseEnv(StandInsEnv, env).PAYFLOW_STAND_INS !== 'none';
}

export interface LedgerEntry {
  seq: number;
  kind: string;
  paymentId: string | null;
  [field: string]: unknown;
}

/** One stand-in's ledger: what it did, per payment. */
export class Ledger {
  constructor(
    protected readonly request: APIRequestContext,
    readonly url: string,
  ) {}

  async entries(paymentId: string): Promise<LedgerEntry[]> {
    const response = await this.request.get(`${this.url}/__ledger`, { params: { paymentId } }).catch((err: unknown) => {
      throw new Error(
        `could not read the ledger at ${this.url}/__ledger (${String(err)}); against a deployment without payflow's stand-ins, set PAYFLOW_STAND_INS=none`,
      );
    });
    expect(response.status(), `GET ${this.url}/__ledger`).toBe(200);
    const body = (await response.json()) as { entries: LedgerEntry[] };
    return body.entries;
  }

  /** The kinds of the payment's entries, in order, e.g. ["decline"] or ["charge", "refund"]. */
  async kinds(paymentId: string): Promise<string[]> {
    return (await this.entries(paymentId)).map((entry) => entry.kind);
  }

  async count(paymentId: string, kind: string): Promise<number> {
    return (await this.entries(paymentId)).filter((entry) => entry.kind === kind).length;
  }
}

/** A stand-in a @stand-ins test reshapes: its control fields are put back after the test. */
export class StandIn extends Ledger {
  private initial: Record<string, unknown> | undefined;

  /** Changes some control fields; `restore()` puts back what they were before the first change. */
  async control(fields: Record<string, unknown>): Promise<void> {
    if (this.initial === undefined) this.initial = await this.readControl();
    const response = await this.request.post(`${this.url}/__control`, { data: fields });
    expect(response.status(), await response.text()).toBe(200);
  }

  async restore(): Promise<void> {
    if (this.initial === undefined) return;
    const response = await this.request.post(`${this.url}/__control`, { data: this.initial });
    expect(response.status(), await response.text()).toBe(200);
    this.initial = undefined;
  }

  private async readControl(): Promise<Record<string, unknown>> {
    const response = await this.request.get(`${this.url}/__control`);
    expect(response.status()).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }
}
