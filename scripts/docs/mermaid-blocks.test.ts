import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findMermaidBlocks, markdownFiles, mermaidBlocksIn } from './mermaid-blocks.js';

const md = (...lines: string[]) => lines.join('\n');

describe('mermaid blocks in Markdown', () => {
  it('finds each block with the line of its opening fence, the heading above it and its text', () => {
    const text = md(
      '# Title',
      '',
      '## The happy path',
      '',
      '```mermaid',
      'sequenceDiagram',
      '  A->>B: hi',
      '```',
      '',
      '### Failures',
      '~~~ mermaid',
      'flowchart LR',
      '  a --> b',
      '~~~',
    );
    expect(mermaidBlocksIn(text, 'docs/x.md')).toEqual([
      { file: 'docs/x.md', line: 5, heading: 'The happy path', source: 'sequenceDiagram\n  A->>B: hi' },
      { file: 'docs/x.md', line: 11, heading: 'Failures', source: 'flowchart LR\n  a --> b' },
    ]);
  });

  it('skips other languages, and a mermaid fence shown as an example inside a longer fence', () => {
    const text = md('````md', '```mermaid', 'not a diagram', '```', '````', '```ts', 'const a = 1;', '```', '```mermaid', 'pie', '```');
    expect(mermaidBlocksIn(text, 'f.md').map((block) => block.line)).toEqual([9]);
  });

  it('takes no heading from a # line inside a fence, and none where no heading came before', () => {
    const text = md('```sh', '# a shell comment', '```', '```mermaid', 'pie', '```');
    expect(mermaidBlocksIn(text, 'f.md')[0]!.heading).toBeUndefined();
  });

  it('reads an indented fence without its indentation, and runs an unclosed one to the end', () => {
    const text = md('## Indented', '  ```mermaid', '  sequenceDiagram', '    A->>B: hi', '  ```', '```mermaid', 'pie');
    expect(mermaidBlocksIn(text, 'f.md').map(({ line, source }) => ({ line, source }))).toEqual([
      { line: 2, source: 'sequenceDiagram\n  A->>B: hi' },
      { line: 6, source: 'pie' },
    ]);
  });

  it('does not close a fence on a shorter run or the other character', () => {
    const text = md('````mermaid', 'pie', '```', '~~~~', '````');
    expect(mermaidBlocksIn(text, 'f.md')[0]!.source).toBe('pie\n```\n~~~~');
  });
});

describe('the Markdown files that are searched', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('are README.md and every .md under docs/, however deep', () => {
    root = mkdtempSync(join(tmpdir(), 'mermaid-blocks-'));
    mkdirSync(join(root, 'docs', 'decisions'), { recursive: true });
    writeFileSync(join(root, 'README.md'), md('# payflow', '```mermaid', 'pie', '```'));
    writeFileSync(join(root, 'docs', 'b.md'), '');
    writeFileSync(join(root, 'docs', 'notes.txt'), '```mermaid\npie\n```');
    writeFileSync(join(root, 'docs', 'decisions', '0001-a.md'), md('## A', '```mermaid', 'pie', '```'));
    expect(markdownFiles(root)).toEqual(['README.md', 'docs/b.md', 'docs/decisions/0001-a.md']);
    expect(findMermaidBlocks(root).map(({ file, line, heading }) => `${file}:${line} ${heading}`)).toEqual([
      'README.md:2 payflow',
      'docs/decisions/0001-a.md:2 A',
    ]);
  });

  it('include the architecture document and its happy path', () => {
    expect(findMermaidBlocks().find((block) => block.file === 'docs/architecture.md' && block.heading === 'The happy path')?.source).toMatch(
      /^sequenceDiagram\n/,
    );
  });
});
