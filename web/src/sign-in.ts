import type { PaymentSnapshot } from '../../contracts/payment-status.js';

type SignIn = NonNullable<PaymentSnapshot['signIn']>;

/**
 * Carries the shopper into the SaaS app: a hidden form POSTs the one-time token to its landing,
 * which signs them in and redirects to a clean URL. A POST keeps the token out of the address
 * bar, the history and any `Referer` header, where a link with `?token=` would leave it.
 */
export function signIn({ landingUrl, ssoToken }: SignIn): void {
  const target = new URL(landingUrl);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new Error(`refusing to sign in at a ${target.protocol} address`);
  }
  const form = document.createElement('form');
  form.method = 'post';
  form.action = target.href;
  form.hidden = true;
  const token = document.createElement('input');
  token.type = 'hidden';
  token.name = 'token';
  token.value = ssoToken;
  form.append(token);
  document.body.append(form);
  form.submit();
}

/** A token past its expiry would only be refused: better to say so on this page. */
export function hasExpired({ expiresAt }: SignIn, now = Date.now()): boolean {
  return Date.parse(expiresAt) <= now;
}
