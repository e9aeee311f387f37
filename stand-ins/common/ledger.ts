/** One side effect a stand-in performed. `paymentId` is null only when the stand-in cannot know it. */
export interface LedgerEntry<Kind extends string = string> {
  /** 1 for the first entry, then one more for each. */
  seq: number;
  kind: Kind;
  paymentId: string | null;
  /** ISO 8601 time the effect happened. */
  at: string;
  [field: string]: unknown;
}

export interface LedgerFilter {
  paymentId?: string | undefined;
  kind?: string | undefined;
}

/** Extra fields of an entry; they may not overwrite the ones every entry has. */
export type LedgerFields = Record<string, unknown> & { seq?: never; kind?: never; paymentId?: never; at?: never };

/** The read side, which is all the /__ledger route needs. */
export interface LedgerReader {
  list(filter?: LedgerFilter): readonly LedgerEntry[];
}

/**
 * An in-memory, append-only list of the side effects a stand-in performed, so tests can check
 * what really happened downstream (e.g. "at most one charge per payment").
 */
export class Ledger<Kind extends string = string> implements LedgerReader {
  readonly #entries: LedgerEntry<Kind>[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  record(kind: Kind, paymentId: string | null, fields: LedgerFields = {}): LedgerEntry<Kind> {
    const entry: LedgerEntry<Kind> = Object.freeze({
      seq: this.#entries.length + 1,
      kind,
      paymentId,
      at: this.now().toISOString(),
      ...fields,
    });
    this.#entries.push(entry);
    return entry;
  }

  list(filter: LedgerFilter = {}): readonly LedgerEntry<Kind>[] {
    return this.#entries.filter(
      (entry) => (filter.paymentId === undefined || entry.paymentId === filter.paymentId) && (filter.kind === undefined || entry.kind === filter.kind),
    );
  }
}
