import express, { type Express } from 'express';
import { Registry } from 'prom-client';
import { PaymentRequest } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { BillingGatesClient } from '../../workers/billing/billing-gates-client.js';
import { DownstreamClient } from '../../workers/common/downstream-client.js';
import { UdiClient } from '../../workers/order/udi-client.js';
import { checkout } from './checkout.js';

export interface BaselineDeps {
  billingGatesUrl: string;
  udiUrl: string;
  logger: Logger;
}

/**
 * The benchmark's yardstick: `POST /api/checkout` runs the whole synchronous flow and answers
 * 200 `{ paymentId, orderId, signIn: { ssoToken, expiresAt } }`, or 502 `{ error, paymentId }`
 * naming the step that failed. It talks to the stand-ins through the workers' own clients, so both
 * flows make the same downstream calls the same way.
 */
export function createBaselineApp(deps: BaselineDeps): Express {
  const registry = new Registry();
  const clients = {
    udi: new UdiClient(new DownstreamClient('udi', deps.udiUrl, registry)),
    gates: new BillingGatesClient(new DownstreamClient('billing-gates', deps.billingGatesUrl, registry)),
  };
  const app = express();
  app.use(express.json({ limit: '8kb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/api/checkout', async (req, res) => {
    const request = PaymentRequest.safeParse(req.body);
    if (!request.success) {
      res.status(400).json({ error: { code: 'INVALID_REQUEST', message: request.error.message } });
      return;
    }
    const result = await checkout(clients, request.data);
    if (result.outcome === 'failed') {
      deps.logger.warn({ paymentId: result.paymentId, step: result.step, code: result.code }, 'checkout failed');
      res.status(502).json({ error: { code: result.code, message: result.message, step: result.step }, paymentId: result.paymentId });
      return;
    }
    const { paymentId, orderId, ssoToken, expiresAt } = result;
    res.status(200).json({ paymentId, orderId, signIn: { ssoToken, expiresAt } });
  });
  return app;
}
