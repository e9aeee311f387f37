import { escapeHtml, htmlPage } from '../common/html.js';

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f4f5fb; color: #1d2233; }
  main { max-width: 28rem; margin: 1rem; padding: 2rem 2.25rem; background: #fff; border-radius: 14px;
    box-shadow: 0 10px 30px rgb(29 34 51 / 0.12); }
  .brand { margin: 0 0 1.5rem; font-size: 0.85rem; font-weight: 700; letter-spacing: 0.08em;
    text-transform: uppercase; color: #5b4cdb; }
  h1 { margin: 0 0 0.75rem; font-size: 1.5rem; }
  p { line-height: 1.5; }
  .alert { padding: 0.75rem 1rem; border-radius: 8px; background: #fdecec; color: #8a1c1c; }
  a { color: #5b4cdb; }
  @media (prefers-color-scheme: dark) {
    body { background: #15171f; color: #e8eaf2; }
    main { background: #1f2230; box-shadow: none; }
    .alert { background: #3a1d22; color: #ffc9c9; }
    .brand, a { color: #a99ff5; }
  }`;

/** `body` is HTML; everything that came from outside must already be escaped. */
function page(title: string, body: string): string {
  return htmlPage({ title, site: { name: 'Workspace', className: 'brand' }, style: STYLE, body });
}

export function signedInPage(email: string): string {
  return page(
    'Your workspace',
    `<h1>Welcome to your workspace</h1>
<p>Signed in as ${escapeHtml(email)}</p>
<p>Your plan is active. Everything is ready for you.</p>`,
  );
}

export function signedOutPage(): string {
  return page(
    'Not signed in',
    `<h1>You are not signed in</h1>
<p>Complete a purchase at the checkout and you will be signed in here automatically.</p>`,
  );
}

export function tokenRefusedPage(): string {
  return page(
    'Sign-in failed',
    `<h1>We could not sign you in</h1>
<p class="alert" role="alert">This sign-in link has already been used or has expired.</p>
<p><a href="/">Go to the start page</a></p>`,
  );
}

export function tokenMissingPage(): string {
  return page(
    'Sign-in failed',
    `<h1>We could not sign you in</h1>
<p class="alert" role="alert">This sign-in link is incomplete.</p>
<p><a href="/">Go to the start page</a></p>`,
  );
}

export function udiUnavailablePage(): string {
  return page(
    'Sign-in unavailable',
    `<h1>We could not sign you in</h1>
<p class="alert" role="alert">The sign-in service is not answering. Please try again in a moment.</p>`,
  );
}
