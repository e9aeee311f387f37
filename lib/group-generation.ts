/**
 * One assignment of partitions to this member, from one join of the group to the next. kafkajs
 * starts every join afresh from the committed offsets, also for the partitions the member keeps,
 * so every record fetched in an earlier generation is fetched again by whoever owns its partition
 * now: a record must only publish its outcome while the generation it was fetched in is current.
 */
export class Generation {
  private readonly superseded = new AbortController();
  private readonly cancelled = new AbortController();

  /** Aborted once a later join replaced this generation: stop retrying, publish nothing. */
  get supersededSignal(): AbortSignal {
    return this.superseded.signal;
  }

  /** The handlers' signal: aborted when superseded, or when the consumer stops and the record did not finish in time. */
  get handlerSignal(): AbortSignal {
    return this.cancelled.signal;
  }

  get isSuperseded(): boolean {
    return this.superseded.signal.aborted;
  }

  supersede(): void {
    this.superseded.abort();
    this.cancelled.abort();
  }

  cancel(): void {
    this.cancelled.abort();
  }
}

/** The member's current generation; each join of the group supersedes the one before. */
export class GroupGenerations {
  private generation = new Generation();

  get current(): Generation {
    return this.generation;
  }

  joined(): void {
    const previous = this.generation;
    this.generation = new Generation();
    previous.supersede();
  }
}
