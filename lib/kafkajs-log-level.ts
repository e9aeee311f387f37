import { createRequire } from 'node:module';
import { logLevel as KafkaLogLevel } from 'kafkajs';

type Level = 'error' | 'warn' | 'info' | 'debug';

const LEVELS: Partial<Record<KafkaLogLevel, Level>> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

// kafkajs' table of Kafka's error codes: the module is CommonJS and not in its typings.
const { errorCodes } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  errorCodes: Array<{ type: string; message: string; retriable: boolean }>;
};
/**
 * Not retriable in kafkajs' table, but a consumer answers them by rejoining its group (its
 * `isRebalancing`, and `UNKNOWN_MEMBER_ID` with a new member id). ILLEGAL_GENERATION answers an
 * offset commit or heartbeat sent while a member joins or leaves: every rebalance under traffic
 * logged one (test/integration/rebalance-logs.int.test.ts).
 */
const REJOINED = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);
/** The messages of the errors kafkajs gets past by itself: "The coordinator is loading …", "The group is rebalancing …". */
const RETRIABLE = new Set(errorCodes.filter(({ type, retriable }) => retriable || REJOINED.has(type)).map(({ message }) => message));
/**
 * kafkajs' own ERROR lines for a member it puts back into its group. The group moved on without
 * this member (it missed heartbeats for the session timeout: paused, or cut off), so it is worth
 * a warning, but nothing is left for a person to do.
 */
const REJOINING = new Set(['The coordinator is not aware of this member, re-joining the group']);

/**
 * The level to log a kafkajs entry at. kafkajs logs every failed response at ERROR, also those it
 * retries and gets past on its own: a group rebalancing, a coordinator loading after a broker
 * restart, a leader moving, a commit that meets a rebalance. Those are logged at info (a member
 * dropped from its group and rejoining at warn), so an error in the logs is one to act on.
 */
export function kafkajsLogLevel(level: KafkaLogLevel, log: { message: string; error?: unknown }): Level {
  if (level === KafkaLogLevel.ERROR && log.message.startsWith('Response ') && typeof log.error === 'string' && RETRIABLE.has(log.error)) return 'info';
  if (level === KafkaLogLevel.ERROR && REJOINING.has(log.message)) return 'warn';
  return LEVELS[level] ?? 'info';
}
