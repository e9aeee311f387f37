import { ChargeSettledWebhook, type WebhookRefusalCode } from '../../contracts/index.js';
import { verifyWebhook } from '../../lib/webhook-signature.js';
import { ApiError } from '../http/api-error.js';

/**
 * The charge-settled webhook in `body`, once its signature (under any of `secrets`) and its time
 * (within the window, of `nowMs`) are checked, in that order: nothing of an unsigned body is read.
 * Throws a 400 with the refusal's code otherwise; nothing is then published.
 */
export function readChargeSettledWebhook(secrets: readonly string[], signature: string | undefined, body: string, nowMs: number): ChargeSettledWebhook {
  const verdict = verifyWebhook(secrets, signature, body, nowMs);
  if (!verdict.ok) throw refusal(verdict.code, verdict.message);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw refusal('INVALID_WEBHOOK', 'The webhook body is not JSON.');
  }
  const webhook = ChargeSettledWebhook.safeParse(json);
  if (webhook.success) return webhook.data;
  const details = webhook.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = details[0];
  throw refusal(
    'INVALID_WEBHOOK',
    `The webhook is not a charge.settled event (${first === undefined ? 'invalid' : `${first.path || 'body'}: ${first.message}`}).`,
    details,
  );
}

function refusal(code: WebhookRefusalCode, message: string, details?: unknown): ApiError {
  return new ApiError(400, code, message, details);
}
