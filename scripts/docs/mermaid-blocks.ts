import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { REPO_ROOT } from '../start-config.js';

/** One ```mermaid block of a Markdown file, as GitHub would draw it. */
export interface MermaidBlock {
  /** The Markdown file, relative to the repository root, with forward slashes. */
  file: string;
  /** The 1-based line of the opening fence. */
  line: number;
  /** The text of the nearest heading above the block, if there is one. */
  heading: string | undefined;
  /** The diagram's text, without the fences. */
  source: string;
}

/**
 * The Markdown files whose diagrams are checked and drawn: README.md and every .md under docs/,
 * in a stable order, so that a diagram added anywhere there is picked up with no list to update.
 */
export function markdownFiles(root: string = REPO_ROOT): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name));
  return ['README.md', ...docs.sort()].map((file) => file.split(sep).join('/'));
}

/** Every mermaid block of those files, in file order, then line order. */
export function findMermaidBlocks(root: string = REPO_ROOT): MermaidBlock[] {
  return markdownFiles(root).flatMap((file) => mermaidBlocksIn(readFileSync(join(root, file), 'utf8'), file));
}

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

interface OpenFence {
  indent: number;
  marker: string;
  language: string;
  line: number;
  heading: string | undefined;
  body: string[];
}

/**
 * The mermaid blocks of one Markdown text. Fences follow CommonMark: ``` or ~~~, up to three
 * spaces in, closed by a run of the same character at least as long, so that a mermaid block shown
 * as an example inside a longer fence is not taken for a diagram, and a `#` line inside a fence is
 * not taken for a heading.
 */
export function mermaidBlocksIn(markdown: string, file: string): MermaidBlock[] {
  const blocks: MermaidBlock[] = [];
  let heading: string | undefined;
  let open: OpenFence | undefined;
  const close = (fence: OpenFence) => {
    if (fence.language === 'mermaid') blocks.push({ file, line: fence.line, heading: fence.heading, source: fence.body.join('\n') });
  };
  for (const [index, text] of markdown.split(/\r?\n/).entries()) {
    if (open !== undefined) {
      if (closesFence(text, open.marker)) {
        close(open);
        open = undefined;
      } else {
        open.body.push(stripIndent(text, open.indent));
      }
      continue;
    }
    const fence = OPENING_FENCE.exec(text);
    const info = fence?.[3] ?? '';
    // A backtick fence's info string holds no backtick: such a line is inline code, not a fence.
    if (fence !== null && !(fence[2]!.startsWith('`') && info.includes('`'))) {
      const language = info.trim().split(/\s+/)[0]!.toLowerCase();
      open = { indent: fence[1]!.length, marker: fence[2]!, language, line: index + 1, heading, body: [] };
      continue;
    }
    const atx = ATX_HEADING.exec(text);
    if (atx !== null) heading = atx[1]?.trim() || undefined;
  }
  // CommonMark runs a fence nobody closed to the end of the document; GitHub draws it so too.
  if (open !== undefined) close(open);
  return blocks;
}

function closesFence(text: string, marker: string): boolean {
  const closing = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(text);
  return closing !== null && closing[1]![0] === marker[0] && closing[1]!.length >= marker.length;
}

function stripIndent(text: string, indent: number): string {
  let cut = 0;
  while (cut < indent && text[cut] === ' ') cut += 1;
  return text.slice(cut);
}
