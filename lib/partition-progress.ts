/**
 * The records of one partition that were handed to handlers and have not finished yet. Records
 * finish in any order; what may be committed is the first offset that has not finished, so a
 * crash redelivers every unfinished record and nothing after a gap is skipped.
 */
export class PartitionProgress {
  private readonly pending = new Set<number>();
  /** One past the highest offset started; undefined until the first. */
  private next: number | undefined;
  private committed: number | undefined;

  start(offset: number): void {
    this.pending.add(offset);
    this.next = Math.max(this.next ?? 0, offset + 1);
  }

  finish(offset: number): void {
    this.pending.delete(offset);
  }

  /** The offset to commit now (Kafka's "next offset to read"), or undefined when it has not moved. */
  commitPoint(): number | undefined {
    const point = this.position();
    return point === this.committed ? undefined : point;
  }

  /** The first offset not finished yet (or one past the last started): safe to commit at any time; undefined before the first record. */
  position(): number | undefined {
    if (this.next === undefined) return undefined;
    let point = this.next;
    for (const offset of this.pending) point = Math.min(point, offset);
    return point;
  }

  committedAt(point: number): void {
    this.committed = Math.max(this.committed ?? 0, point);
  }
}
