import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { startTracing } from '../../lib/tracing.js';
import { tokenCipherFor } from '../../lib/token-cipher.js';
import { startWorker } from '../common/start-worker.js';
import { orderWorker, orderWorkerOptions } from './order-worker.js';
import { loadConfig } from './config.js';

runMain('order-worker', async () => {
  const config = loadConfig(process.env);
  const logger = createLogger('order-worker', config.LOG_LEVEL);
  const tracing = startTracing({ serviceName: 'order-worker', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const { cipher, development } = tokenCipherFor(config.SSO_TOKEN_KEYS, config.NODE_ENV);
  if (development) logger.warn('SSO_TOKEN_KEYS is not set: sealing SSO tokens with the public development key');
  const worker = await startWorker(orderWorker(config.UDI_URL, orderWorkerOptions(config, cipher, logger)), config, logger);
  return { logger, tracing, stop: () => worker.stop() };
});
