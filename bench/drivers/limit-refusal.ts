import { DeploymentError } from './deployment-error.js';
import type { Shopper, ShopperResult } from './shopper.js';

/** The per-client limits' answers: a POST refused with 429, a socket handshake refused with TOO_MANY_CONNECTIONS. */
export function refusedByLimits(result: ShopperResult): boolean {
  return result.firstAnswerStatus === 429 || (result.error?.includes('TOO_MANY_CONNECTIONS') ?? false);
}

/** `shopper`, telling `onRefused` of each result the per-client limits refused. */
export function watchLimits(shopper: Shopper, onRefused: (result: ShopperResult) => void): Shopper {
  return async (ctx) => {
    const result = await shopper(ctx);
    if (refusedByLimits(result)) onRefused(result);
    return result;
  };
}

/**
 * Why a run stopped at its first refusal: what followed would measure the limits, not the flow.
 * The bench's own system raises the limits; a deployment started elsewhere believes each shopper's
 * X-Forwarded-For from loopback (TRUST_PROXY's default), unless it was started otherwise.
 */
export function limitsRefusal(url: string, result: ShopperResult): DeploymentError {
  const what = result.firstAnswerStatus === 429 ? 'POST /api/payments answered 429' : 'a socket handshake was refused with TOO_MANY_CONNECTIONS';
  return new DeploymentError(
    'SHOPPERS_RATE_LIMITED',
    `${url}: ${what}: its per-client limits count the bench's shoppers as one client, so the run was stopped. ` +
      'Each shopper sends an X-Forwarded-For of its own, which the BFF believes from a trusted proxy (TRUST_PROXY, loopback by default): ' +
      'start the deployment with TRUST_PROXY=loopback, or with the limits raised as the bench raises them for its own system: ' +
      'PAYMENT_RATE_LIMIT_PER_MINUTE=100000000 SOCKET_HANDSHAKES_PER_MINUTE=100000000 npm start',
  );
}
