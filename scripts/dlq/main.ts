/**
 * `npm run dlq -- <command> [options]`: lists, shows and replays the records of payflow's
 * dead-letter topics. See usage.ts, or docs/operations.md ("Dead letters: npm run dlq").
 */
import { topicsWithPrefix } from '../../contracts/index.js';
import { ConfigError } from '../../lib/env.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { UsageError } from '../../lib/usage-error.js';
import { parseCommand, type Command } from './args.js';
import { loadDlqConfig, type DlqConfig } from './config.js';
import type { DlqContext } from './context.js';
import { resolveTopic } from './filters.js';
import { list } from './list.js';
import { processOutput, type Output } from './output.js';
import { replay } from './replay.js';
import { show } from './show.js';
import { USAGE } from './usage.js';

async function main(argv: string[], output: Output): Promise<number> {
  let command: Command;
  let config: DlqConfig;
  try {
    command = parseCommand(argv);
    if (command.name === 'help') {
      output.out(USAGE.trimEnd());
      return 0;
    }
    config = loadDlqConfig(process.env);
    if (command.selection.topic !== undefined) resolveTopic(command.selection.topic, topicsWithPrefix(config.topicPrefix));
  } catch (err) {
    if (err instanceof UsageError) {
      output.err(`dlq: ${err.message}\n\n${USAGE.trimEnd()}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      output.err(`dlq: ${err.message}`);
      return 1;
    }
    throw err;
  }

  const logger = createLogger('dlq', config.logLevel, process.stderr);
  const kafka = createKafka({ clientId: 'payflow-dlq', brokers: config.brokers, connection: config.connection, logger });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (err) {
    await admin.disconnect().catch(() => {});
    const where =
      config.brokersFrom === 'local'
        ? `${config.brokers.join(',')} (KAFKA_BROKERS is unset: the local Kafka of npm start)`
        : `${config.brokers.join(',')} (KAFKA_BROKERS)`;
    const hint =
      config.brokersFrom === 'local' ? 'start payflow with npm start, or set KAFKA_BROKERS' : 'check KAFKA_BROKERS and the KAFKA_SSL / KAFKA_SASL_* variables';
    output.err(`dlq: no Kafka broker answers at ${where}: ${err instanceof Error ? err.message : String(err)}; ${hint}`);
    return 1;
  }
  const context: DlqContext = { kafka, admin, topics: topicsWithPrefix(config.topicPrefix), output, logger };
  try {
    switch (command.name) {
      case 'list':
        await list(context, command.selection, command.json);
        return 0;
      case 'show':
        await show(context, command.selection, command.json);
        return 0;
      case 'replay':
        return await replay(context, command);
      default: {
        const unhandled: never = command;
        throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
      }
    }
  } catch (err) {
    output.err(`dlq: ${command.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await admin.disconnect();
  }
}

main(process.argv.slice(2), processOutput).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`dlq: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
