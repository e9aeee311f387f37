import { ChargeSettledWebhook, WEBHOOK_REFUSAL_CODES, WebhookReceived } from '../../contracts/index.js';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TOLERANCE_SECONDS } from '../../lib/webhook-signature.js';
import { json, refusal, RETRY_AFTER, schema } from '../http/openapi-parts.js';
import { BILLING_GATES_WEBHOOK_PATH } from '../../contracts/index.js';

/** The webhooks downstream systems send (billing-gates-webhook-routes.ts). */
export function webhookPaths(): Record<string, Record<string, unknown>> {
  return {
    [BILLING_GATES_WEBHOOK_PATH]: {
      post: {
        operationId: 'billingGatesWebhook',
        tags: ['webhooks'],
        summary: 'Billing Gates: a charge that required the shopper to confirm at their bank settled',
        description: `Signed with HMAC-SHA256 over \`<t>.<body>\` under a secret of WEBHOOK_SECRETS, in the \`${WEBHOOK_SIGNATURE_HEADER}\` header (\`t=<unix seconds>,v1=<hex>\`), at most ${WEBHOOK_TOLERANCE_SECONDS} s from the BFF's clock. Answered 200 only once ChargeActionSettled is in Kafka; a webhook id already published answers 200 with \`duplicate: true\` and publishes nothing. A 503 is retried by the sender. Not trusted for money: the billing worker asks Billing Gates for the charge before it moves the payment.`,
        parameters: [
          {
            name: WEBHOOK_SIGNATURE_HEADER,
            in: 'header',
            required: true,
            description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`',
            schema: { type: 'string' },
          },
        ],
        requestBody: { required: true, description: 'The charge.settled event', content: { 'application/json': { schema: schema(ChargeSettledWebhook) } } },
        responses: {
          '200': json(WebhookReceived, 'Published to Kafka, or published before (duplicate)'),
          '400': refusal(
            [...WEBHOOK_REFUSAL_CODES, 'BAD_REQUEST'],
            'Refused, nothing published: no signature, one that matches no secret, a timestamp outside the window, or a body that is not a charge.settled event; BAD_REQUEST: the body could not be read',
          ),
          '413': refusal(['BODY_TOO_LARGE'], 'The body is over 16 kB'),
          '415': refusal(['BAD_REQUEST'], 'The body is in a Content-Encoding or charset the BFF does not read'),
          '503': refusal(
            ['WEBHOOK_NOT_PUBLISHED', 'STORE_UNAVAILABLE'],
            'Not taken now (Kafka did not acknowledge it, or Redis cannot tell whether it was taken before); send it again after Retry-After',
            RETRY_AFTER,
          ),
        },
      },
    },
  };
}
