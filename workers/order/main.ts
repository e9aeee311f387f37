import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { startWorker } from '../common/start-worker.js';
import { orderWorker } from './order-worker.js';
import { loadConfig } from './config.js';

runMain('order-worker', async () => {
  const config = loadConfig(process.env);
  const logger = createLogger('order-worker', config.LOG_LEVEL);
  const worker = await startWorker(orderWorker(config.UDI_URL, config.ORDER_DEADLINE_MS), config, logger);
  return { logger, stop: () => worker.stop() };
});
