import type { Counter } from 'prom-client';
import type { PaymentDelayed } from '../../contracts/index.js';
import type { EventPublisher } from '../../lib/event-publisher.js';
import type { Logger } from '../../lib/logger.js';

/** Sends a PaymentDelayed; never throws and never waits for Kafka. */
export type NoticeSender = (notice: PaymentDelayed) => void;

/**
 * Publishes delay notices through the worker's publisher, beside the outcomes. Not awaited by the
 * step: a notice must neither hold a record's retry up nor delay a stop while Kafka is slow, and
 * one that is lost is repeated at the next threshold while the step still fails.
 *
 * Unlike an outcome, a notice is published without `ctx.fence()`: it decides nothing, so a member
 * that has lost the record's partition may at worst repeat what the new owner says or tell of a
 * step that has just ended, which the BFF ignores once the payment's status has moved on; a
 * coordinator round trip per notice would buy nothing.
 */
export function delayNoticeSender({ publisher, logger, published }: { publisher: EventPublisher; logger: Logger; published: Counter<'type'> }): NoticeSender {
  return (notice) => {
    const { step, attempts, since, lastError } = notice.data;
    const fields = { paymentId: notice.paymentId, correlationId: notice.correlationId, step, attempts, since, lastError, notice: notice.data.notice.code };
    void publisher.publish(notice).then(
      () => {
        published.inc({ type: notice.type });
        logger.info(fields, `${step} still failing after ${attempts} attempt(s); the shopper is told (PaymentDelayed)`);
      },
      (err: unknown) => logger.warn({ ...fields, err }, 'a delay notice could not be published; it is repeated while the step still fails'),
    );
  };
}
