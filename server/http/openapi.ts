import { z } from 'zod';
import { IdempotencyKey, PaymentAccepted, PaymentRequest, PaymentSnapshot, Plan, PLANS } from '../../contracts/index.js';
import { opsPaths, opsSessionScheme } from '../ops/ops-openapi.js';
import { webhookPaths } from '../webhooks/webhooks-openapi.js';
import { error, json, RETRY_AFTER, schema } from './openapi-parts.js';

/**
 * The OpenAPI 3.1 description of the BFF's HTTP API, generated from the same zod schemas the
 * handlers validate with, so it cannot drift from what they accept and answer.
 */
export function openApiDocument(): { paths: Record<string, Record<string, unknown>> } & Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'payflow BFF',
      version: '1.0.0',
      description:
        'Commit a payment, then follow it: POST /api/payments answers at once; the status arrives over Socket.IO (`payment:status`, auth `{ paymentId, clientSecret }`) or from GET /api/payments/{paymentId}. Operators sign in with the operator token (POST /ops/session) and look payments up under /ops/api with the session cookie.',
    },
    tags: [
      { name: 'payments', description: "The shopper's checkout" },
      { name: 'operators', description: 'Sign-in and payment lookup for operators and support, behind the session cookie' },
      { name: 'webhooks', description: 'What downstream systems tell payflow, signed' },
      { name: 'health', description: 'For load balancers and Prometheus' },
      { name: 'pages', description: 'Pages for people, and this document' },
    ],
    paths: {
      '/api/plans': {
        get: { operationId: 'listPlans', tags: ['payments'], summary: 'The plans on sale', responses: { '200': json(z.array(Plan), 'The plans') } },
      },
      '/api/payments': {
        post: {
          operationId: 'createPayment',
          tags: ['payments'],
          summary: 'Commit a payment',
          description: 'Answers 202 only once PaymentInitiated is durably in Kafka. The same Idempotency-Key and body give the same answer.',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: schema(IdempotencyKey) }],
          requestBody: { required: true, description: 'The payment', content: { 'application/json': { schema: paymentRequestSchema() } } },
          responses: {
            '202': json(PaymentAccepted, 'Accepted; follow its status with the client secret'),
            '400': error('The body is invalid, or does not match a plan'),
            '409': error('The Idempotency-Key was used for another body'),
            '413': error('The body is too large'),
            '415': error('The body is not JSON'),
            '429': { ...error('Too many payments from this client; see Retry-After'), headers: RETRY_AFTER },
            '503': {
              ...error(
                'Not accepted now; see Retry-After. STORE_UNAVAILABLE, PUBLISH_QUEUE_FULL or REDIS_NOT_REPLICATED (Redis replicas did not confirm in time): nothing was charged. PAYMENT_NOT_CONFIRMED: the payment may still go through; retry with the same Idempotency-Key to get the same payment',
              ),
              headers: RETRY_AFTER,
            },
          },
        },
      },
      '/api/payments/{paymentId}': {
        get: {
          operationId: 'getPayment',
          tags: ['payments'],
          summary: "A payment's current status (the polling fallback)",
          security: [{ clientSecret: [] }],
          parameters: [{ name: 'paymentId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': json(PaymentSnapshot, 'The status snapshot'),
            '404': error('No such payment, or not with this secret (the two are not told apart)'),
            '503': { ...error('STORE_UNAVAILABLE: the status cannot be read now; try again after Retry-After'), headers: RETRY_AFTER },
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          tags: ['health'],
          summary: 'The process is alive',
          responses: { '200': json(z.object({ status: z.literal('ok') }), 'Alive') },
        },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          tags: ['health'],
          summary: 'Kafka and Redis can be reached',
          responses: {
            '200': json(z.object({ status: z.string(), failing: z.array(z.string()) }), 'Ready'),
            '503': json(z.object({ status: z.string(), failing: z.array(z.string()) }), 'Not ready'),
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          tags: ['health'],
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
      ...opsPaths(),
      ...webhookPaths(),
      '/api/openapi.json': {
        get: {
          operationId: 'apiDocument',
          tags: ['pages'],
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/api/docs': {
        get: {
          operationId: 'apiReference',
          tags: ['pages'],
          summary: 'This document as a page',
          responses: { '200': { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      '/api/docs.css': {
        get: {
          operationId: 'apiReferenceStyle',
          tags: ['pages'],
          summary: "The reference page's stylesheet",
          responses: { '200': { description: 'The stylesheet', content: { 'text/css': { schema: { type: 'string' } } } } },
        },
      },
    },
    components: {
      securitySchemes: {
        clientSecret: { type: 'http', scheme: 'bearer', description: 'The clientSecret from the 202 answer' },
        opsSession: opsSessionScheme,
      },
    },
  };
}

/**
 * The request body as zod checks it, plus the rule create-payment.ts adds: planId and amount
 * must be one of the plans on sale, written as a oneOf so generated requests can satisfy it.
 */
function paymentRequestSchema(): Record<string, unknown> {
  return {
    ...schema(PaymentRequest),
    oneOf: PLANS.map((plan) => ({
      properties: {
        planId: { const: plan.id },
        amount: { type: 'object', properties: { value: { const: plan.amount.value }, currency: { const: plan.amount.currency } } },
      },
    })),
  };
}
