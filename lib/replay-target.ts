import type { KafkaMessage } from 'kafkajs';
import { REPLAY_GROUP_HEADER, textHeaders } from './dead-letter.js';

/**
 * The group a replayed record is meant for, when that is not `groupId`: the record is then
 * passed over (its offset committed, nothing handled). Undefined for a record meant for this
 * group, and for any record that is not such a replay.
 */
export function replayMeantForAnotherGroup(headers: KafkaMessage['headers'], groupId: string): string | undefined {
  const target = textHeaders(headers)[REPLAY_GROUP_HEADER];
  return target === undefined || target === groupId ? undefined : target;
}
