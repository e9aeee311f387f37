import type { MermaidBlock } from './mermaid-blocks.js';

/**
 * The sentence for a block mermaid refused: where the block is, where in the file the line
 * mermaid complains about is (mermaid counts from the block's first line, a reader's editor from
 * the file's), and mermaid's own words, which say what it expected.
 */
export function renderFailure(block: MermaidBlock, error: string): string {
  const under = block.heading === undefined ? '' : ` (under "${block.heading}")`;
  const lineInBlock = /\bon line (\d+)/.exec(error)?.[1];
  const at = lineInBlock === undefined ? '' : `; mermaid's line ${lineInBlock} is ${block.file}:${block.line + Number(lineInBlock)}`;
  return `DIAGRAM_DOES_NOT_RENDER: the mermaid block at ${block.file}:${block.line}${under} does not render${at}. Correct it until mermaid draws it; mermaid says:\n${error}`;
}
