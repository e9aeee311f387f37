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
const { errorCodes } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as { errorCodes: Array<{ type: string; message: string; retriable: boolean }> };
/** Not retriable in kafkajs' table, but a consumer answers it by rejoining its group. */
const REJOINED = new Set(['REBALANCE_IN_PROGRESS']);
/** The messages of the errors kafkajs gets past by itself: "The coordinator is loading …", "The group is rebalancing …". */
const RETRIABLE = new Set(errorCodes.filter(({ type, retriable }) => retriable || REJOINED.has(type)).map(({ message }) => message));

/**
 * The level to log a kafkajs entry at. kafkajs logs every failed response at ERROR, also those it
 * retries and gets past on its own: a group rebalancing, a coordinator loading after a broker
 * restart, a leader moving. Those are logged at info, so an error in the logs is one to act on.
 */
export function kafkajsLogLevel(level: KafkaLogLevel, log: { message: string; error?: unknown }): Level {
  if (level === KafkaLogLevel.ERROR && log.message.startsWith('Response ') && typeof log.error === 'string' && RETRIABLE.has(log.error)) return 'info';
  return LEVELS[level] ?? 'info';
}
