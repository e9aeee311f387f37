/** What the tests ask of the stand-ins: shape their behaviour (/__control), read their side effects (/__ledger). */
import { expect, type APIRequestContext } from '@playwright/test';

export interface LedgerEntry {
  seq: number;
  kind: string;
  paymentId: string | null;
  [field: string]: unknown;
}

export class StandIn {
  private initial: Record<string, unknown> | undefined;

  constructor(
    private readonly request: APIRequestContext,
    readonly url: string,
  ) {}

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

  async ledger(paymentId: string): Promise<LedgerEntry[]> {
    const response = await this.request.get(`${this.url}/__ledger`, { params: { paymentId } });
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { entries: LedgerEntry[] };
    return body.entries;
  }

  private async readControl(): Promise<Record<string, unknown>> {
    const response = await this.request.get(`${this.url}/__control`);
    expect(response.status()).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }
}
