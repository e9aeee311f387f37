import { z } from 'zod';

/** POST /ops/session: the operator token, in the body and never in a URL. */
export const OpsSignIn = z.object({ token: z.string().min(1).max(500) });
export type OpsSignIn = z.infer<typeof OpsSignIn>;
