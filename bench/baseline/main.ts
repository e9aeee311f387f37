import { closeServer, listen } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { createBaselineApp } from './app.js';
import { loadConfig } from './config.js';

runMain('baseline', async () => {
  const config = loadConfig(process.env);
  const logger = createLogger('baseline', config.LOG_LEVEL);
  const app = createBaselineApp({ billingGatesUrl: config.BILLING_GATES_URL, udiUrl: config.UDI_URL, logger });
  const { server, port } = await listen(app, config.PORT);
  logger.info({ port }, 'baseline (synchronous checkout) running');
  return { logger, stop: () => closeServer(server) };
});
