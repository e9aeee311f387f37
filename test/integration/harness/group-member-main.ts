/**
 * One group member in a process of its own, for tests that kill or freeze it: logs JSON lines to
 * stdout (a "handled" line per record) and leaves the group on SIGTERM.
 * Environment: KAFKA_BROKERS (comma-separated), TOPIC, GROUP_ID, MEMBER_NAME.
 */
import { z } from 'zod';
import { createLogger } from '../../../lib/logger.js';
import { runMain } from '../../../lib/main.js';
import { startGroupMember } from './group-member.js';

runMain('group-member', async () => {
  const env = z
    .object({ KAFKA_BROKERS: z.string().min(1), TOPIC: z.string().min(1), GROUP_ID: z.string().min(1), MEMBER_NAME: z.string().min(1) })
    .parse(process.env);
  const logger = createLogger('group-member', 'info');
  const member = await startGroupMember({
    brokers: env.KAFKA_BROKERS.split(','),
    topic: env.TOPIC,
    groupId: env.GROUP_ID,
    name: env.MEMBER_NAME,
    logger,
    onHandled: () => logger.info('handled'),
  });
  return { logger, stop: () => member.stop() };
});
