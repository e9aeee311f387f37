/**
 * This consumer group member is no longer in the group's current generation, so the partition of
 * the record it was handling belongs to another member, which fetches the record again from the
 * committed offset. The record's outcome must not be published nor its offset committed here.
 */
export class StaleMemberError extends Error {
  readonly code = 'PARTITION_REVOKED';

  constructor(why: string, options?: { cause?: unknown }) {
    super(`This member no longer owns the record's partition (${why}); its outcome was not published, and the partition's new owner handles the record.`, options);
    this.name = 'StaleMemberError';
  }
}
