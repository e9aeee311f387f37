import { z } from 'zod';

/**
 * What the shopper must do for a charge that waits on them: go to the URL (their bank's
 * challenge), then come back. Only http(s): the page sends the browser there.
 */
export const NextAction = z.object({
  type: z.literal('redirect'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
});
export type NextAction = z.infer<typeof NextAction>;
