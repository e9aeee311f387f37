import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { startTracing } from '../../lib/tracing.js';
import { serveStandIn } from '../common/serve.js';
import { createSaasApp } from './app.js';
import { loadSaasAppConfig } from './config.js';

runMain('saas-app', async () => {
  const config = loadSaasAppConfig();
  const logger = createLogger('saas-app', config.LOG_LEVEL);
  const tracing = startTracing({ serviceName: 'saas-app', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const app = createSaasApp({
    logger,
    udiUrl: config.UDI_URL,
    udiTimeoutMs: config.UDI_TIMEOUT_MS,
    secureCookie: config.SESSION_COOKIE_SECURE,
    control: { latencyMs: config.LATENCY_MS },
  });
  return { tracing, ...(await serveStandIn(app, { name: 'SaaS app', host: config.HOST, port: config.PORT, logger })) };
});
