import { afterEach, describe, expect, it } from 'vitest';
import { getJson, postJson, startServer, testLogger, type RunningServer } from '../common/testing.js';
import { createUdiApp } from '../udi/app.js';
import { createSaasApp } from './app.js';
import { signedInPage } from './pages.js';

const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(app: Parameters<typeof startServer>[0]): Promise<string> {
  const server = await startServer(app);
  running.push(server);
  return server.url;
}

/** A real Udi and a SaaS app pointed at it. */
async function startBoth(): Promise<{ udi: string; saas: string }> {
  const udi = await start(createUdiApp({ logger: testLogger(), ssoTokenTtlMs: 60_000 }));
  const saas = await start(createSaasApp({ logger: testLogger(), udiUrl: udi }));
  return { udi, saas };
}

/** Orders and confirms through Udi, as the order worker does, and returns the SSO token. */
async function issueToken(udi: string, email = 'grace@example.com'): Promise<{ token: string; paymentId: string; email: string }> {
  const paymentId = crypto.randomUUID();
  const { body } = await postJson(`${udi}/orders`, { paymentId, planId: 'team', email });
  const { orderId } = body as { orderId: string };
  const confirmed = await postJson(`${udi}/orders/${orderId}/confirm`, {});
  return { token: (confirmed.body as { ssoToken: string }).ssoToken, paymentId, email };
}

/** Posts the token the way the browser does: an HTML form. */
function land(saas: string, token: string): Promise<Response> {
  return fetch(`${saas}/sso`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
}

function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((header) => header.startsWith('saas_session='));
  if (cookie === undefined) throw new Error('no saas_session cookie was set');
  return cookie;
}

describe('SaaS app sign-in', () => {
  it('a valid token posted as a form signs the shopper in: 303 to /app with a session cookie, and /app shows the email', async () => {
    const { udi, saas } = await startBoth();
    const { token, paymentId, email } = await issueToken(udi);

    const landing = await land(saas, token);
    expect(landing.status).toBe(303);
    expect(landing.headers.get('location')).toBe('/app');
    expect(landing.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = sessionCookie(landing);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);

    const page = await fetch(`${saas}/app`, { headers: { cookie: cookie.split(';')[0] ?? '' }, redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>');
    expect(html).toContain(`Signed in as ${email}`);

    const { body } = await getJson(`${saas}/__ledger?paymentId=${paymentId}`);
    expect(body).toEqual({ entries: [expect.objectContaining({ kind: 'sign-in', paymentId, email })] });
  });

  it('a token sent as JSON signs the shopper in too', async () => {
    const { udi, saas } = await startBoth();
    const { token } = await issueToken(udi);
    const landing = await fetch(`${saas}/sso`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      redirect: 'manual',
    });
    expect(landing.status).toBe(303);
  });

  it('a replayed token is refused with 401 and a page saying the link was used or expired, and no session is set', async () => {
    const { udi, saas } = await startBoth();
    const { token } = await issueToken(udi);
    await land(saas, token);

    const replay = await land(saas, token);
    expect(replay.status).toBe(401);
    expect(replay.headers.getSetCookie()).toEqual([]);
    const html = await replay.text();
    expect(html).toMatch(/role="alert"[^>]*>This sign-in link has already been used or has expired\./);

    const { body } = await getJson(`${saas}/__ledger?kind=sign-in-refused`);
    expect(body).toEqual({ entries: [expect.objectContaining({ kind: 'sign-in-refused', code: 'TOKEN_ALREADY_USED' })] });
  });

  it('when Udi cannot be reached, the landing answers 502 with a page asking to try again', async () => {
    const closedUdi = await startServer(createUdiApp({ logger: testLogger(), ssoTokenTtlMs: 60_000 }));
    await closedUdi.close();
    const saas = await start(createSaasApp({ logger: testLogger(), udiUrl: closedUdi.url, udiTimeoutMs: 1_000 }));
    const landing = await land(saas, 'any-token');
    expect(landing.status).toBe(502);
    expect(await landing.text()).toContain('role="alert"');
  });

  it('a landing without a token answers 400 with a page', async () => {
    const { saas } = await startBoth();
    const landing = await fetch(`${saas}/sso`, { method: 'POST', body: new URLSearchParams({}), redirect: 'manual' });
    expect(landing.status).toBe(400);
    expect(landing.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('SaaS app pages', () => {
  it('/app without a session redirects to /, which says the visitor is not signed in', async () => {
    const { saas } = await startBoth();
    const page = await fetch(`${saas}/app`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/');
    expect(await (await fetch(`${saas}/`)).text()).toContain('You are not signed in');
  });

  it('the signed-in page escapes the email', () => {
    expect(signedInPage('<img src=x>@example.com')).toContain('Signed in as &lt;img src=x&gt;@example.com');
  });
});
