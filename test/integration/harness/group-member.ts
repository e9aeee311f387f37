import { startEventConsumer, type RunningConsumer } from '../../../lib/event-consumer.js';
import { createKafka } from '../../../lib/kafka.js';
import type { Logger } from '../../../lib/logger.js';

export interface GroupMemberOptions {
  brokers: string[];
  topic: string;
  groupId: string;
  /** Names the member's Kafka client and its log lines. */
  name: string;
  logger: Logger;
  /** Called for each record the member handles. */
  onHandled: () => void;
}

/** A consumer group member as a payflow process runs one: its own Kafka client, the project's event consumer, handlers that do nothing. */
export function startGroupMember({ brokers, topic, groupId, name, logger, onHandled }: GroupMemberOptions): Promise<RunningConsumer> {
  const member = logger.child({ member: name });
  return startEventConsumer({
    kafka: createKafka({ clientId: `rebalance-${name}`, brokers, logger: member }),
    groupId,
    topics: [topic],
    deadLetters: { sendRecords: () => Promise.reject(new Error('no record of this test is dead-lettered')) },
    logger: member,
    concurrency: 4,
    handle: () => {
      onHandled();
      return Promise.resolve();
    },
  });
}
