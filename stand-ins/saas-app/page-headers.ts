import type { RequestHandler, Response } from 'express';

/**
 * Headers for every page: nothing cached (pages show who is signed in), no referrer (the
 * landing follows a POST that carried a token), and no scripts or framing.
 */
export const pageHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  });
  next();
};

export function sendPage(res: Response, status: number, html: string): void {
  res.status(status).type('html').send(html);
}
