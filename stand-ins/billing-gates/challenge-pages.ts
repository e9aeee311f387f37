import type { Money } from '../../contracts/money.js';
import { escapeHtml, htmlPage } from '../common/html.js';

/** Where a challenge is: waiting for the shopper, or how it ended (voided: the shop cancelled the payment first). */
export type ChallengeState = 'pending' | 'completed' | 'failed' | 'abandoned' | 'voided';
export type SettledState = Exclude<ChallengeState, 'pending'>;

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #eef1f4; color: #1b2430; }
  main { max-width: 30rem; margin: 1rem; padding: 2rem; background: #fff; border: 1px solid #cfd6de; border-radius: 10px; }
  .issuer { margin: 0 0 1.25rem; font-size: 0.8rem; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; color: #0b6e4f; }
  h1 { margin: 0 0 0.75rem; font-size: 1.4rem; }
  p { line-height: 1.5; }
  .amount { font-size: 1.6rem; font-weight: 700; margin: 0.5rem 0 1rem; }
  .actions { display: flex; gap: 0.75rem; flex-wrap: wrap; margin-top: 1.25rem; }
  form { margin: 0; }
  button { font: inherit; padding: 0.6rem 1.1rem; border-radius: 6px; border: 1px solid #0b6e4f; cursor: pointer; }
  .complete { background: #0b6e4f; color: #fff; }
  .fail { background: transparent; color: #8a1c1c; border-color: #8a1c1c; }
  .alert { padding: 0.75rem 1rem; border-radius: 6px; background: #fdecec; color: #8a1c1c; }
  .code { font-size: 0.85rem; color: #5a6572; }
  @media (prefers-color-scheme: dark) {
    body { background: #12161b; color: #e6eaef; }
    main { background: #1b2129; border-color: #2d3642; }
    .alert { background: #3a1d22; color: #ffc9c9; }
    .issuer { color: #5fd1a6; }
  }`;

/** `body` is HTML; everything that came from outside must already be escaped. */
function page(title: string, body: string): string {
  return htmlPage({ title, site: { name: 'Billing Gates · Secure authentication', className: 'issuer' }, style: STYLE, body });
}

/** "€29.00" for `{ value: 2900, currency: 'EUR' }`: minor units scaled by the currency's own digits. */
function formatAmount({ value, currency }: Money): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  return format.format(value / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

const backLink = (returnUrl: string) => `<p><a href="${escapeHtml(returnUrl)}">Return to the shop</a></p>`;

/** The bank's question: the amount, what is asked, and the two answers, each a form that carries the return address on. */
export function challengePage(input: { challengeId: string; amount: Money; returnUrl: string; expiresAt: number }): string {
  const answer = (action: 'complete' | 'fail', label: string) =>
    `<form method="post" action="${escapeHtml(input.challengeId)}/${action}">
<input type="hidden" name="returnUrl" value="${escapeHtml(input.returnUrl)}">
<button type="submit" class="${action}">${label}</button>
</form>`;
  return page(
    'Confirm your payment',
    `<h1>Confirm your payment</h1>
<p>Your bank asks you to confirm this card payment before it is charged:</p>
<p class="amount">${escapeHtml(formatAmount(input.amount))}</p>
<p>Nothing is taken until you confirm. This is a test authentication page: choose the answer your bank should give.
It expires at ${escapeHtml(new Date(input.expiresAt).toISOString().slice(11, 16))} UTC.</p>
<div class="actions">
${answer('complete', 'Complete authentication')}
${answer('fail', 'Fail authentication')}
</div>`,
  );
}

const SETTLED: Record<SettledState, { title: string; text: string; code: string }> = {
  completed: { title: 'Authentication completed', text: 'You confirmed this payment, and it was charged.', code: 'CHALLENGE_COMPLETED' },
  failed: { title: 'Authentication failed', text: 'The authentication failed, so nothing was charged.', code: 'CHALLENGE_FAILED' },
  abandoned: {
    title: 'Authentication expired',
    text: 'This authentication was not finished in time, so nothing was charged. Return to the shop to pay again.',
    code: 'CHALLENGE_EXPIRED',
  },
  voided: { title: 'Payment cancelled', text: 'The shop cancelled this payment before it was confirmed, so nothing was charged.', code: 'CHARGE_VOIDED' },
};

/** A challenge that has ended: how, and the way back to the shop. */
export function settledPage(state: SettledState, returnUrl: string): string {
  const { title, text } = SETTLED[state];
  return page(title, `<h1>${title}</h1>\n<p role="status">${text}</p>\n${backLink(returnUrl)}`);
}

/** An answer that came after the challenge ended: refused, nothing changed; how it ended, its code, and the way back. */
export function answerRefusedPage(state: SettledState, returnUrl: string): string {
  const { title, text, code } = SETTLED[state];
  return page(
    title,
    `<h1>Your answer was not taken</h1>
<p class="alert" role="alert">${text} Your answer changed nothing.</p>
<p class="code">Error code: ${code}</p>
${backLink(returnUrl)}`,
  );
}

/** A request the page cannot serve: a sentence the shopper can act on, and its code. */
export function challengeErrorPage(code: 'RETURN_URL_INVALID' | 'CHALLENGE_NOT_FOUND', text: string): string {
  return page(
    'Authentication unavailable',
    `<h1>This authentication cannot be shown</h1>
<p class="alert" role="alert">${escapeHtml(text)}</p>
<p class="code">Error code: ${code}</p>`,
  );
}

export function refusedCode(state: SettledState): string {
  return SETTLED[state].code;
}
