import { z } from 'zod';
import { errorCode, failure, fetchPost, JSON_HEADERS, paymentBody, tokenIsUsable, type Post, type Shopper } from './shopper.js';

const SignedIn = z.object({ paymentId: z.string(), signIn: z.object({ ssoToken: z.string() }) });

/**
 * A shopper of the current flow: one POST that answers only when the order is confirmed, with
 * the SSO token in the answer. Its first answer is therefore also the moment it is signed in.
 */
export function syncShopper(baselineUrl: string, udiUrl: string, verifyToken: boolean, post: Post = fetchPost): Shopper {
  return async (ctx) => {
    const { arrivalAt, arrivalMs } = ctx;
    try {
      const response = await post(`${baselineUrl}/api/checkout`, {
        headers: JSON_HEADERS,
        body: paymentBody(ctx.index),
        signal: AbortSignal.timeout(Math.max(1, Math.round(arrivalAt + ctx.timeoutMs - performance.now()))),
      });
      const firstAnswerMs = performance.now() - arrivalAt;
      const firstAnswerStatus = response.status;
      if (response.status !== 200) return { arrivalMs, outcome: 'error', firstAnswerMs, firstAnswerStatus, error: await errorCode(response) };
      const answer = SignedIn.parse(await response.json());
      const signedInMs = performance.now() - arrivalAt;
      if (verifyToken && !(await tokenIsUsable(udiUrl, answer.signIn.ssoToken))) {
        return { arrivalMs, outcome: 'error', firstAnswerMs, firstAnswerStatus, error: 'token-refused', paymentId: answer.paymentId };
      }
      return { arrivalMs, outcome: 'signed-in', firstAnswerMs, firstAnswerStatus, signedInMs, paymentId: answer.paymentId };
    } catch (err) {
      return failure(ctx, err);
    }
  };
}
