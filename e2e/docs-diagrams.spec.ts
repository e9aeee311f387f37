/**
 * Every ```mermaid block of README.md and docs/ draws in Chromium with the pinned mermaid, so a
 * diagram someone edits never reaches GitHub as a red parse error in place of the flow. The
 * blocks are found when the file is collected: one test per block, named by file and line. Needs
 * none of the system the global setup starts; only the browser.
 */
import { expect, test, type Page } from '@playwright/test';
import { findMermaidBlocks } from '../scripts/docs/mermaid-blocks.js';
import { nameDiagrams } from '../scripts/docs/diagram-names.js';
import { renderFailure } from '../scripts/docs/render-failure.js';
import { loadMermaid, renderMermaid } from '../scripts/docs/render-mermaid.js';

const diagrams = nameDiagrams(findMermaidBlocks());

test.describe('the Mermaid diagrams of the docs', () => {
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await loadMermaid(page);
  });
  test.afterAll(async () => {
    await page.close();
  });

  test('are there to check: the architecture document draws the flow', () => {
    expect(diagrams.map((diagram) => diagram.file)).toContain('docs/architecture.md');
  });

  for (const diagram of diagrams) {
    test(`${diagram.file}:${diagram.line} (${diagram.heading ?? 'no heading'}) renders`, async () => {
      const outcome = await renderMermaid(page, `diagram-${diagram.name}`, diagram.source);
      if ('error' in outcome) throw new Error(renderFailure(diagram, outcome.error));
      expect(outcome.svg).toContain('<svg');
    });
  }
});
