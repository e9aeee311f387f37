import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { startTracing } from '../../lib/tracing.js';
import { serveStandIn } from '../common/serve.js';
import { createBillingGates } from './app.js';
import { loadBillingGatesConfig } from './config.js';
import { webhookSecretFor } from './webhook-secret.js';

runMain('billing-gates', async () => {
  const config = loadBillingGatesConfig();
  const logger = createLogger('billing-gates', config.LOG_LEVEL);
  const webhookSecret = webhookSecretFor(config.WEBHOOK_SECRET, config.NODE_ENV);
  if (webhookSecret.development) logger.warn('WEBHOOK_SECRET is not set: signing webhooks with the public development secret');
  const tracing = startTracing({ serviceName: 'billing-gates', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const billingGates = createBillingGates({
    logger,
    control: { latencyMs: config.LATENCY_MS, challengeTtlMs: config.CHALLENGE_TTL_MS, webhookUrl: config.WEBHOOK_URL ?? null },
    webhookSecret: webhookSecret.secret,
    publicUrl: config.PUBLIC_URL,
  });
  const served = await serveStandIn(billingGates.app, { name: 'Billing Gates', host: config.HOST, port: config.PORT, logger });
  return {
    tracing,
    logger,
    stop: async () => {
      await served.stop();
      await billingGates.stop();
    },
  };
});
