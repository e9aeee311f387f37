import {
  EmailLookup,
  EmailLookupQuery,
  OpsSignIn,
  PaymentLookup,
  PaymentLookupPath,
  RefundedByHandRecorded,
  RefundedByHandRequest,
  type LookupErrorCode,
  type OpsSocketErrorCode,
} from '../../contracts/index.js';
import { json, refusal, RETRY_AFTER, schema } from '../http/openapi-parts.js';
import { OPS_COOKIE } from './ops-session.js';

const lookupRefusal = (codes: readonly [LookupErrorCode, ...LookupErrorCode[]], description: string, headers?: Record<string, unknown>) =>
  refusal(codes, description, headers);

/** The lookup's answers that are not about the payment asked for. */
const LOOKUP_REFUSALS = {
  '401': lookupRefusal(['OPS_UNAUTHORIZED'], 'No operator session in force (none, expired, or signed out): sign in with POST /ops/session'),
  '503': lookupRefusal(['STORE_UNAVAILABLE'], 'The session or the payments cannot be read now (Redis); try again after Retry-After', RETRY_AFTER),
};

/** Why the live view's socket refuses a handshake: a Record, so each code of OPS_SOCKET_ERROR_CODES is told here. */
const OPS_SOCKET_REFUSALS: Record<OpsSocketErrorCode, string> = {
  OPS_UNAUTHORIZED: 'no session in force; sign in again',
  OPS_UNAVAILABLE: 'Redis cannot check the session now; connect again shortly',
};

/** A session cookie is set, or cleared at sign-out, on every 204 of /ops/session. */
const SESSION_COOKIE = {
  'Set-Cookie': { required: true, description: `${OPS_COOKIE}=…; HttpOnly; SameSite=Strict; Path=/ (and Secure over HTTPS)`, schema: { type: 'string' } },
};

/** The operators' session cookie as an OpenAPI security scheme; the `/ops` socket takes it too. */
export const opsSessionScheme = {
  type: 'apiKey',
  in: 'cookie',
  name: OPS_COOKIE,
  description: `An operator's session, set by POST /ops/session (HttpOnly, so a page's script never reads it). The same cookie lets the live view's Socket.IO namespace \`/ops\` in; a refused handshake's connect_error says why: ${Object.entries(
    OPS_SOCKET_REFUSALS,
  )
    .map(([code, why]) => `\`${code}\` (${why})`)
    .join(' or ')}.`,
};

/**
 * The operators' operations: sign-in and sign-out (ops-routes.ts), the payment lookup
 * (lookup-routes.ts), the record of a refund made by hand (refunded-by-hand-routes.ts), the live
 * view's page.
 */
export function opsPaths(): Record<string, Record<string, unknown>> {
  return {
    '/ops/session': {
      post: {
        operationId: 'signIn',
        tags: ['operators'],
        summary: 'Sign an operator in: trade the operator token (OPS_TOKEN) for a session cookie',
        description:
          'The token goes in the body, never in a URL. The session holds on every replica until it expires (12 h), is signed out, or OPS_TOKEN changes. Attempts per client are limited per minute.',
        requestBody: { required: true, description: 'The operator token', content: { 'application/json': { schema: schema(OpsSignIn) } } },
        responses: {
          '204': { description: `Signed in: the ${OPS_COOKIE} cookie holds the session`, headers: SESSION_COOKIE },
          '400': refusal(
            ['INVALID_REQUEST', 'MALFORMED_JSON', 'BAD_REQUEST'],
            'INVALID_REQUEST: the body is not `{ token }`; MALFORMED_JSON: it is not JSON; BAD_REQUEST: it could not be read',
          ),
          '401': refusal(['OPS_TOKEN_INVALID'], 'That is not the operator token'),
          '413': refusal(['BODY_TOO_LARGE'], 'The body is too large'),
          '415': refusal(
            ['UNSUPPORTED_MEDIA_TYPE', 'BAD_REQUEST'],
            'UNSUPPORTED_MEDIA_TYPE: the body is not JSON; BAD_REQUEST: its charset or Content-Encoding is not one the BFF reads',
          ),
          '429': refusal(['TOO_MANY_REQUESTS'], 'Too many attempts from this client; see Retry-After', RETRY_AFTER),
        },
      },
      delete: {
        operationId: 'signOut',
        tags: ['operators'],
        summary: 'Sign an operator out',
        description: `Ends the session in the ${OPS_COOKIE} cookie on every replica, for every copy of the cookie, and closes its open sockets. Without a session in force there is nothing to end, and the answer is the same.`,
        parameters: [{ name: OPS_COOKIE, in: 'cookie', required: false, description: 'The session to end', schema: { type: 'string' } }],
        responses: {
          '204': { description: 'Signed out; the cookie is cleared', headers: SESSION_COOKIE },
          '503': refusal(
            ['STORE_UNAVAILABLE'],
            'The sign-out cannot be recorded now (Redis), so the session is still open; try again after Retry-After',
            RETRY_AFTER,
          ),
        },
      },
    },
    '/ops/api/payments/{paymentId}': {
      get: {
        operationId: 'lookUpPayment',
        tags: ['operators'],
        summary: "A payment's current status and timeline, and its email's other recent payments",
        security: [{ opsSession: [] }],
        parameters: [{ name: 'paymentId', in: 'path', required: true, schema: schema(PaymentLookupPath.shape.paymentId) }],
        responses: {
          '200': json(PaymentLookup, 'The payment, and the other recent payments of its email, newest first'),
          '400': lookupRefusal(['INVALID_REQUEST'], 'The paymentId is not a UUID'),
          ...LOOKUP_REFUSALS,
          '404': lookupRefusal(
            ['PAYMENT_NOT_FOUND'],
            'Neither the status nor the history of this payment is known: the id is mistyped, or its history expired (PAYMENT_HISTORY_TTL_SECONDS)',
          ),
        },
      },
    },
    '/ops/api/payments/{paymentId}/refunded-by-hand': {
      post: {
        operationId: 'recordRefundByHand',
        tags: ['operators'],
        summary: 'Record that an operator returned the charge of a refund_failed payment by hand, in Billing Gates',
        description:
          'Publishes RefundedByHand: the payment moves to refunded once the BFF has read it, the shopper is told, and its story shows the refund id. Only a payment in refund_failed is taken. Recording it twice changes nothing.',
        security: [{ opsSession: [] }],
        parameters: [{ name: 'paymentId', in: 'path', required: true, schema: schema(PaymentLookupPath.shape.paymentId) }],
        requestBody: {
          required: true,
          description: "The refund's id in Billing Gates",
          content: { 'application/json': { schema: schema(RefundedByHandRequest) } },
        },
        responses: {
          '202': json(RefundedByHandRecorded, 'Recorded: the event is in Kafka'),
          '400': refusal(
            ['INVALID_REQUEST', 'MALFORMED_JSON', 'BAD_REQUEST'],
            'INVALID_REQUEST: the paymentId is not a UUID, or the body is not `{ refundId }`; MALFORMED_JSON: it is not JSON; BAD_REQUEST: it could not be read',
          ),
          '401': refusal(['OPS_UNAUTHORIZED'], 'No operator session in force (none, expired, or signed out): sign in with POST /ops/session'),
          '404': refusal(['PAYMENT_NOT_FOUND'], 'No status of this payment is known: the id is mistyped, or its status expired'),
          '409': refusal(['PAYMENT_NOT_REFUND_FAILED'], 'The payment is not refund_failed: nothing is owed to it by hand'),
          '413': refusal(['BODY_TOO_LARGE'], 'The body is too large'),
          '415': refusal(
            ['UNSUPPORTED_MEDIA_TYPE', 'BAD_REQUEST'],
            'UNSUPPORTED_MEDIA_TYPE: the body is not JSON; BAD_REQUEST: its charset or Content-Encoding is not one the BFF reads',
          ),
          '503': refusal(
            ['STORE_UNAVAILABLE', 'REFUND_NOT_RECORDED'],
            'STORE_UNAVAILABLE: the session or the payment cannot be read now (Redis); REFUND_NOT_RECORDED: the event could not be published (Kafka). Nothing was recorded; try again after Retry-After',
            RETRY_AFTER,
          ),
        },
      },
    },
    '/ops/api/payments': {
      get: {
        operationId: 'lookUpEmail',
        tags: ['operators'],
        summary: "An email's recent payments, newest first, each with its timeline",
        security: [{ opsSession: [] }],
        parameters: [{ name: 'email', in: 'query', required: true, schema: schema(EmailLookupQuery.shape.email) }],
        responses: {
          '200': json(EmailLookup, 'The payments; none when the email has paid for nothing lately'),
          '400': lookupRefusal(['INVALID_REQUEST'], 'The email is missing, or not an email address'),
          ...LOOKUP_REFUSALS,
        },
      },
    },
    '/ops': {
      get: {
        operationId: 'liveViewPage',
        tags: ['pages'],
        summary: "The operators' live view (a page; its data comes over the /ops socket, for a signed-in operator only)",
        responses: {
          '200': { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } },
          '404': refusal(['NOT_BUILT'], 'The page is not built (npm run build:web)'),
        },
      },
    },
  };
}
