import type { KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { textHeaders } from '../../lib/dead-letter.js';
import type { DeadLetterFacts } from './timeline-entries.js';

/** The `dlq-*` headers every consumer adds (lib/dead-letter.ts). */
const DeadLetterHeaders = z.object({
  'dlq-error': z.string().default(''),
  'dlq-error-code': z.string().min(1).default('UNKNOWN'),
  'dlq-consumer-group': z.string().default('unknown'),
  'dlq-source-topic': z.string().min(1),
  'dlq-source-partition': z.coerce.number().int().nonnegative(),
  'dlq-source-offset': z.string().regex(/^\d+$/),
  'dlq-failed-at': z.iso.datetime().optional(),
});

const PaymentKey = z.uuid();

export interface DeadLetterRead {
  /** The record's key when it is a paymentId (every payment event is keyed by its payment). */
  paymentId: string | undefined;
  facts: DeadLetterFacts;
}

/** Reads a dead-letter record's key and headers; null when its headers are not those of a dead letter. */
export function readDeadLetter(topic: string, partition: number, message: KafkaMessage): DeadLetterRead | null {
  const parsed = DeadLetterHeaders.safeParse(textHeaders(message.headers));
  if (!parsed.success) return null;
  const h = parsed.data;
  const key = PaymentKey.safeParse(message.key?.toString());
  return {
    paymentId: key.success ? key.data : undefined,
    facts: {
      dlqTopic: topic,
      dlqPartition: partition,
      dlqOffset: message.offset,
      // The broker's time of the dead-letter record, when a header is missing.
      failedAt: h['dlq-failed-at'] ?? new Date(Number(message.timestamp)).toISOString(),
      sourceTopic: h['dlq-source-topic'],
      sourcePartition: h['dlq-source-partition'],
      sourceOffset: h['dlq-source-offset'],
      consumerGroup: h['dlq-consumer-group'],
      code: h['dlq-error-code'],
      message: h['dlq-error'].slice(0, 500),
    },
  };
}
