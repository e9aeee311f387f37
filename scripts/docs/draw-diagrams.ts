/**
 * `npm run docs:diagrams`: draws every ```mermaid block of README.md and docs/ into
 * docs/diagrams/<name>.svg (named after the file and the heading above the block: see
 * diagram-names.ts), a line per diagram, and removes the pictures whose block is gone. A block
 * mermaid refuses, or a picture whose labels would not survive being viewed on its own, fails the
 * run with the block's file and line. Needs Chromium only, none of the system.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from '../chromium.js';
import { REPO_ROOT } from '../start-config.js';
import { nameDiagrams } from './diagram-names.js';
import { findMermaidBlocks } from './mermaid-blocks.js';
import { renderFailure } from './render-failure.js';
import { loadMermaid, renderMermaid } from './render-mermaid.js';

const DIAGRAMS_DIR = 'docs/diagrams';

async function main(): Promise<number> {
  const diagrams = nameDiagrams(findMermaidBlocks());
  mkdirSync(join(REPO_ROOT, DIAGRAMS_DIR), { recursive: true });
  let failures = 0;
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  try {
    const page = await browser.newPage();
    await loadMermaid(page);
    for (const [index, diagram] of diagrams.entries()) {
      const progress = `[${index + 1}/${diagrams.length}] ${diagram.file}:${diagram.line}`;
      const outcome = await renderMermaid(page, `diagram-${diagram.name}`, diagram.source);
      if ('error' in outcome) {
        console.error(`${progress} failed: ${renderFailure(diagram, outcome.error)}`);
        failures += 1;
      } else if (outcome.svg.includes('<foreignObject')) {
        console.error(
          `${progress} failed: DIAGRAM_LABELS_IN_HTML: mermaid drew its labels as HTML (foreignObject), which a picture viewed on its own may not show; give this diagram type plain SVG text labels in scripts/docs/render-mermaid.ts`,
        );
        failures += 1;
      } else {
        const file = `${DIAGRAMS_DIR}/${diagram.name}.svg`;
        writeFileSync(join(REPO_ROOT, file), `${outcome.svg}\n`);
        console.log(`${progress} → ${file} (${Math.round(outcome.svg.length / 1024)} KiB)`);
      }
    }
  } finally {
    await browser.close();
  }
  const drawn = new Set(diagrams.map((diagram) => `${diagram.name}.svg`));
  for (const stale of readdirSync(join(REPO_ROOT, DIAGRAMS_DIR)).filter((name) => name.endsWith('.svg') && !drawn.has(name))) {
    rmSync(join(REPO_ROOT, DIAGRAMS_DIR, stale));
    console.log(`removed ${DIAGRAMS_DIR}/${stale}: no block is named so any more`);
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
