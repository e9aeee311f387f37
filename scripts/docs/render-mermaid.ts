import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Mermaid, MermaidConfig } from 'mermaid';
import { REPO_ROOT } from '../start-config.js';

/** The browser build of the mermaid package.json pins (exact, so the check and the pictures do not drift). */
const MERMAID_SCRIPT = join(REPO_ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

/**
 * How the pictures are drawn. Labels as plain SVG text, not HTML in a foreignObject: a picture
 * viewed on its own, outside a page that runs mermaid (an image viewer, a converter, GitHub's
 * image view), may draw no foreignObject content at all, leaving empty boxes. Arial, which
 * Debian's Liberation Sans matches in width glyph for glyph, so the boxes measured here fit their
 * words wherever the picture is viewed. Sequence messages wrapped, actors narrower and closer:
 * unwrapped, the happy path is 2,981 px wide, and at the README's width of about 880 px its 16 px
 * words shrink to 5 px; so drawn, it is 1,460 px wide and its words 10 px. The price is a long
 * identifier in a note broken across lines. Ids from a counter rather than at random, so drawing
 * the same diagrams again writes the same files.
 */
const MERMAID_CONFIG: MermaidConfig = {
  startOnLoad: false,
  securityLevel: 'strict',
  deterministicIds: true,
  htmlLabels: false,
  fontFamily: 'arial, sans-serif',
  sequence: { wrap: true, width: 120, actorMargin: 30 },
};

export type RenderOutcome = { svg: string } | { error: string };

/** Loads mermaid into the page (a blank one will do: it needs no server) and configures it. */
export async function loadMermaid(page: Page): Promise<void> {
  await page.addScriptTag({ path: MERMAID_SCRIPT });
  await page.evaluate((config) => {
    (globalThis as unknown as { mermaid: Mermaid }).mermaid.initialize(config);
  }, MERMAID_CONFIG);
}

/**
 * Draws one diagram in a page loadMermaid prepared. A diagram mermaid cannot parse or lay out
 * comes back as mermaid's own message (its "Parse error on line N" counts from the line after the
 * opening fence), for the caller to name the block it came from.
 */
export async function renderMermaid(page: Page, id: string, source: string): Promise<RenderOutcome> {
  return page.evaluate(
    async ({ id, source }) => {
      try {
        const { svg } = await (globalThis as unknown as { mermaid: Mermaid }).mermaid.render(id, source);
        return { svg };
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      }
    },
    { id, source },
  );
}
