/**
 * The records of one partition that were handed to handlers and have not finished yet. Records
 * finish in any order; what may be committed is the first offset that has not finished, so a
 * crash redelivers every unfinished record and nothing after a gap is skipped.
 */
export class PartitionProgress {
  /** Unfinished records: offset → when the consumer group first saw it (the consumer's monotonic clock, ms). */
  private readonly pending = new Map<number, number>();
  /** One past the highest offset started; undefined until the first. */
  private next: number | undefined;
  private committed: number | undefined;

  start(offset: number, firstSeenAt: number): void {
    this.pending.set(offset, firstSeenAt);
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
    for (const offset of this.pending.keys()) point = Math.min(point, offset);
    return point;
  }

  committedAt(point: number): void {
    this.committed = Math.max(this.committed ?? 0, point);
  }

  hasUnfinished(): boolean {
    return this.pending.size > 0;
  }

  /** The unfinished records in offset order, each with when the group first saw it; and one past the highest offset started. */
  unfinished(): { records: Array<{ offset: number; firstSeenAt: number }>; end: number } | undefined {
    if (this.next === undefined || this.pending.size === 0) return undefined;
    const records = [...this.pending].map(([offset, firstSeenAt]) => ({ offset, firstSeenAt })).sort((a, b) => a.offset - b.offset);
    return { records, end: this.next };
  }
}
