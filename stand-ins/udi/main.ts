import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { startTracing } from '../../lib/tracing.js';
import { serveStandIn } from '../common/serve.js';
import { createUdiApp } from './app.js';
import { loadUdiConfig } from './config.js';

runMain('udi', async () => {
  const config = loadUdiConfig();
  const logger = createLogger('udi', config.LOG_LEVEL);
  const tracing = startTracing({ serviceName: 'udi', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const app = createUdiApp({
    logger,
    ssoTokenTtlMs: config.SSO_TOKEN_TTL_MS,
    control: { latencyMs: config.LATENCY_MS },
  });
  return { tracing, ...(await serveStandIn(app, { name: 'Udi', host: config.HOST, port: config.PORT, logger })) };
});
