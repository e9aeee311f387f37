import { createLogger } from '../lib/logger.js';
import { runMain } from '../lib/main.js';
import { startBff } from './bff.js';
import { loadConfig } from './config.js';

runMain('bff', async () => {
  const config = loadConfig(process.env);
  const logger = createLogger('bff', config.LOG_LEVEL);
  const bff = await startBff(config, logger);
  return { logger, stop: () => bff.stop() };
});
