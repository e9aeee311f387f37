import type { ChargeActionDecline } from '../../contracts/charge-webhook.js';

const MESSAGES: Record<ChargeActionDecline, string> = {
  AUTHENTICATION_FAILED: "The shopper did not pass the bank's authentication; nothing was charged.",
  AUTHENTICATION_ABANDONED: "The bank's authentication was not finished in time; nothing was charged.",
};

/** What a declined charge's 402 says: the issuer's refusal, or why its challenge declined it. */
export function declineMessage(declineCode: ChargeActionDecline | undefined): string {
  return declineCode === undefined ? 'The card was declined by the issuer.' : MESSAGES[declineCode];
}
