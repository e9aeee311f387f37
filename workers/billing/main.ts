import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { startTracing } from '../../lib/tracing.js';
import { startWorker } from '../common/start-worker.js';
import { billingWorker, billingWorkerOptions } from './billing-worker.js';
import { loadConfig } from './config.js';

runMain('billing-worker', async () => {
  const config = loadConfig(process.env);
  const logger = createLogger('billing-worker', config.LOG_LEVEL);
  const tracing = startTracing({ serviceName: 'billing-worker', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const worker = await startWorker(billingWorker(config.BILLING_GATES_URL, billingWorkerOptions(config, logger)), config, logger);
  return { logger, tracing, stop: () => worker.stop() };
});
