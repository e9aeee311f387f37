import { PayflowError } from '../contracts/payflow-error.js';

/**
 * This consumer group member is no longer in the group's current generation, so the partition of
 * the record it was handling belongs to another member, which fetches the record again from the
 * committed offset. The record's outcome must not be published nor its offset committed here.
 * Retryable, since the record is tried again, by its new owner: it is never dead-lettered. This
 * member stops trying it at once (the event consumer's retry loop takes it as final).
 */
export class StaleMemberError extends PayflowError<'PARTITION_REVOKED'> {
  constructor(why: string, options: { cause?: unknown } = {}) {
    super(
      'PARTITION_REVOKED',
      `This member no longer owns the record's partition (${why}); its outcome was not published, and the partition's new owner handles the record.`,
      { retryable: true, ...options },
    );
  }
}
