import type { MermaidBlock } from './mermaid-blocks.js';

export interface NamedBlock extends MermaidBlock {
  /** The picture's file name under docs/diagrams/, without the extension. */
  name: string;
}

/**
 * Names each block's picture after its Markdown file and the nearest heading above it
 * (docs/architecture.md, "The happy path" → architecture-the-happy-path), so the Markdown stays
 * exactly as GitHub shows it, with no ids to add, and a picture's name changes only when its
 * heading does. A second block under the same heading is -2, a third -3.
 */
export function nameDiagrams(blocks: readonly MermaidBlock[]): NamedBlock[] {
  const seen = new Map<string, number>();
  return blocks.map((block) => {
    const base = `${slug(block.file.replace(/^docs\//, '').replace(/\.md$/i, ''))}-${slug(block.heading ?? '') || 'diagram'}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return { ...block, name: count === 1 ? base : `${base}-${count}` };
  });
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
