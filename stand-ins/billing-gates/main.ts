import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { startTracing } from '../../lib/tracing.js';
import { serveStandIn } from '../common/serve.js';
import { createBillingGatesApp } from './app.js';
import { loadBillingGatesConfig } from './config.js';

runMain('billing-gates', async () => {
  const config = loadBillingGatesConfig();
  const logger = createLogger('billing-gates', config.LOG_LEVEL);
  const tracing = startTracing({ serviceName: 'billing-gates', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const app = createBillingGatesApp({ logger, control: { latencyMs: config.LATENCY_MS } });
  return { tracing, ...(await serveStandIn(app, { name: 'Billing Gates', host: config.HOST, port: config.PORT, logger })) };
});
