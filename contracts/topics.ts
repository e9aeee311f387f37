/**
 * Every Kafka topic payflow uses, in one place. A prefix (default "") lets several
 * independent deployments, or test suites, share one broker without seeing each other's events.
 */
export const TOPIC_NAMES = {
  paymentsInitiated: 'payments.initiated',
  paymentsSucceeded: 'payments.succeeded',
  paymentsFailed: 'payments.failed',
  ordersConfirmed: 'orders.confirmed',
  ordersFailed: 'orders.failed',
  paymentsRefunded: 'payments.refunded',
  /** Charges that wait for the shopper to confirm at their bank (PaymentRequiresAction). */
  paymentsActionRequired: 'payments.action-required',
  /** What Billing Gates' signed webhook says of such a charge once it settled (ChargeActionSettled): for the billing worker to confirm. */
  paymentsActionSettled: 'payments.action-settled',
  /** Notices of steps that keep failing (PaymentDelayed): for the shopper's page and the payment's history. */
  paymentNotices: 'payments.notices',
} as const;

export type TopicKey = keyof typeof TOPIC_NAMES;
export type Topics = Record<TopicKey, string>;

export function topicsWithPrefix(prefix: string): Topics {
  const entries = Object.entries(TOPIC_NAMES).map(([key, name]) => [key, `${prefix}${name}`]);
  return Object.fromEntries(entries) as Topics;
}

/** The dead-letter topic of a consumed topic: `<topic>.dlq`. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Every topic to create: the event topics and a dead-letter topic for each. */
export function allTopicNames(topics: Topics): string[] {
  const names = Object.values(topics);
  return [...names, ...names.map(deadLetterTopic)];
}
