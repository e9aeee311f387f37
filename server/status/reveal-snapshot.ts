import { SIGN_IN_UNAVAILABLE, type PaymentSnapshot } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import type { TokenCipher } from '../../lib/token-cipher.js';

export type RevealSnapshot = (snapshot: PaymentSnapshot) => PaymentSnapshot;

/**
 * The SSO token stays sealed in Kafka and in Redis; it is opened only here, for the payer's
 * socket or status request. A token that cannot be opened (a key missing from the ring) leaves
 * the shopper confirmed, told to sign in by hand, rather than stuck.
 */
export function createRevealer(cipher: TokenCipher, logger: Logger): RevealSnapshot {
  return (snapshot) => {
    if (snapshot.signIn === undefined) return snapshot;
    try {
      return { ...snapshot, signIn: { ...snapshot.signIn, ssoToken: cipher.decrypt(snapshot.signIn.ssoToken) } };
    } catch (err) {
      logger.error({ err, paymentId: snapshot.paymentId }, 'the SSO token could not be decrypted; is its key in SSO_TOKEN_KEYS?');
      const { signIn: _sealed, ...rest } = snapshot;
      return { ...rest, reason: SIGN_IN_UNAVAILABLE };
    }
  };
}
