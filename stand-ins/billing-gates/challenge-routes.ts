import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import type { BillingBook, ChargeRecord } from './book.js';
import { answerRefusedPage, challengeErrorPage, challengePage, settledPage, type ChallengeState } from './challenge-pages.js';
import type { Challenge, Challenges } from './challenges.js';
import { HttpUrl } from './control.js';

/**
 * Where the shopper goes back to: an http(s) URL whose origin is plain enough to name in the
 * page's Content-Security-Policy (a host of letters, digits, dots, hyphens, or an IPv6 literal).
 */
export const ReturnUrl = HttpUrl.refine((url) => URL.canParse(url) && /^https?:\/\/([\w.-]+|\[[\da-f:.]+\])(:\d+)?$/i.test(new URL(url).origin), {
  error: 'the host must be a plain host name or address',
});

const AnswerForm = z.object({ returnUrl: z.unknown() });

interface ChallengeRoutesDeps {
  book: BillingBook;
  challenges: Challenges;
  logger: Logger;
}

/** Pages show who pays how much: never cached, no referrer; no scripts or framing; forms post here, and their answer sends the shopper back to `returnUrl`'s origin. */
function sendPage(res: Response, status: number, html: string, returnUrl?: string): void {
  const formAction = returnUrl === undefined ? "'self'" : `'self' ${new URL(returnUrl).origin}`;
  res.set({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action ${formAction}`,
  });
  res.status(status).type('html').send(html);
}

function stateOf(record: ChargeRecord): ChallengeState {
  const { outcome } = record;
  switch (outcome.status) {
    case 'requires_action':
      return 'pending';
    case 'succeeded':
      return 'completed';
    case 'declined':
      return outcome.declineCode === 'AUTHENTICATION_ABANDONED' ? 'abandoned' : 'failed';
    case 'voided':
      return 'voided';
    default: {
      const unhandled: never = outcome;
      throw new Error(`unhandled charge outcome ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * The challenge the URL names, its charge (settled as abandoned first if its time is up) and a
 * valid return address; or undefined, once a coded error page was sent.
 */
function openChallenge(req: Request<{ challengeId: string }>, res: Response, deps: ChallengeRoutesDeps, rawReturnUrl: unknown) {
  const challenge = deps.challenges.find(req.params.challengeId);
  const record = challenge === undefined ? undefined : deps.book.chargesByKey.get(challenge.idempotencyKey);
  if (challenge === undefined || record === undefined || !('amount' in record)) {
    sendPage(res, 404, challengeErrorPage('CHALLENGE_NOT_FOUND', 'There is no such authentication. Go back to the shop and start the payment again.'));
    return undefined;
  }
  rememberPaymentId(res, challenge.paymentId);
  const returnUrl = ReturnUrl.safeParse(rawReturnUrl);
  if (!returnUrl.success) {
    sendPage(
      res,
      400,
      challengeErrorPage(
        'RETURN_URL_INVALID',
        'The link that brought you here has no valid address to return to (returnUrl must be an http or https URL). Go back to the shop and try again.',
      ),
    );
    return undefined;
  }
  deps.challenges.expireIfDue(challenge.idempotencyKey);
  return { challenge, returnUrl: returnUrl.data };
}

/** The charge's record now, after whatever settled it. */
function recordOf(deps: ChallengeRoutesDeps, challenge: Challenge): ChargeRecord {
  const record = deps.book.chargesByKey.get(challenge.idempotencyKey);
  if (record === undefined || !('amount' in record)) throw new Error(`the charge of challenge ${challenge.challengeId} is gone`);
  return record;
}

/**
 * The challenge page a charge that requires action redirects the shopper to, and its two answers.
 * GET shows the question while the challenge is pending, or how it ended; either answer (a form
 * POST) settles the charge once and answers 303 to `returnUrl`. The same answer again (a second
 * click) changes nothing and sends the shopper back too; any answer to a challenge that ended
 * otherwise (the other answer, expired, or voided by the shop) is refused with a 409 page that says how it ended.
 */
export function challengeRoutes(deps: ChallengeRoutesDeps): Router {
  const router = Router();

  router.get('/challenges/:challengeId', (req, res) => {
    const opened = openChallenge(req, res, deps, req.query['returnUrl']);
    if (opened === undefined) return;
    const { challenge, returnUrl } = opened;
    const record = recordOf(deps, challenge);
    const state = stateOf(record);
    const html =
      state === 'pending'
        ? challengePage({ challengeId: challenge.challengeId, amount: record.amount, returnUrl, expiresAt: challenge.expiresAt })
        : settledPage(state, returnUrl);
    sendPage(res, 200, html, returnUrl);
  });

  for (const [action, end] of [
    ['complete', 'completed'],
    ['fail', 'failed'],
  ] as const) {
    router.post(`/challenges/:challengeId/${action}`, (req: Request<{ challengeId: string }>, res) => {
      const form = AnswerForm.safeParse(req.body ?? {});
      const opened = openChallenge(req, res, deps, form.success ? form.data.returnUrl : undefined);
      if (opened === undefined) return;
      const { challenge, returnUrl } = opened;
      const log = deps.logger.child({ paymentId: challenge.paymentId, challengeId: challenge.challengeId });
      if (deps.challenges.end(challenge, end)) {
        res.redirect(303, returnUrl);
        return;
      }
      const state = stateOf(recordOf(deps, challenge));
      if (state === end) {
        log.info({ end }, 'challenge answered again the same way; nothing changed');
        res.redirect(303, returnUrl);
        return;
      }
      if (state === 'pending') throw new Error(`challenge ${challenge.challengeId} is still pending after it was answered`);
      log.info({ end, state }, 'answer to a challenge that had ended otherwise refused; nothing changed');
      sendPage(res, 409, answerRefusedPage(state, returnUrl), returnUrl);
    });
  }

  return router;
}
