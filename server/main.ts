import { createLogger } from '../lib/logger.js';
import { runMain } from '../lib/main.js';
import { startTracing } from '../lib/tracing.js';
import { startBff } from './bff.js';
import { loadConfig } from './config.js';

runMain('bff', async () => {
  const config = loadConfig(process.env);
  const logger = createLogger('bff', config.LOG_LEVEL);
  const tracing = startTracing({ serviceName: 'bff', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const bff = await startBff(config, logger);
  return { logger, tracing, stop: () => bff.stop() };
});
