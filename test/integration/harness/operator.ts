import { OPS_COOKIE, DEVELOPMENT_OPS_TOKEN } from '../../../server/ops/ops-session.js';

/** Signs an operator in at a BFF (with the token tests run it with) and returns the session cookie's value. */
export async function signInOperator(bffUrl: string): Promise<string> {
  const answer = await fetch(`${bffUrl}/ops/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: DEVELOPMENT_OPS_TOKEN }),
  });
  const session = /^([^=]+)=([^;]*)/.exec(answer.headers.get('set-cookie') ?? '');
  if (answer.status !== 204 || session?.[1] !== OPS_COOKIE || session[2] === undefined)
    throw new Error(`signing in at ${bffUrl} answered ${answer.status}: ${await answer.text()}`);
  return session[2];
}
