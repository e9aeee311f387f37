import { z } from 'zod';
import { envPositiveInt, envUrl, parseEnv } from '../../lib/env.js';
import { workerEnvSchema } from '../common/worker-config.js';

const Schema = workerEnvSchema(9101).extend({
  /** Billing Gates base URL; default the local stand-in. */
  BILLING_GATES_URL: envUrl('http://127.0.0.1:4001'),
  /** Udi base URL, asked to give an order up before its charge is refunded; default the local stand-in. */
  UDI_URL: envUrl('http://127.0.0.1:4002'),
  /** How long after the billing workers first see PaymentInitiated Billing Gates may keep failing before the charge is voided instead of tried again; default 5 min. */
  CHARGE_DEADLINE_MS: envPositiveInt(300_000),
  /** How long after the billing workers first see OrderFailed Billing Gates may keep failing a refund before it is reported as failed; default 10 min. */
  REFUND_DEADLINE_MS: envPositiveInt(600_000),
  /**
   * How long a charge that asks the shopper to confirm at their bank (3-D Secure) may wait for them,
   * from Billing Gates' answer; the payment's requires_action carries it as expiresAt. Default 15
   * min: Billing Gates gives a challenge up after 10 (AUTHENTICATION_ABANDONED), with time to spare.
   */
  ACTION_DEADLINE_MS: envPositiveInt(900_000),
});
export type BillingWorkerConfig = z.infer<typeof Schema>;

export function loadConfig(env: NodeJS.ProcessEnv): BillingWorkerConfig {
  return parseEnv(Schema, env);
}
