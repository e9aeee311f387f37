import { describe, expect, it } from 'vitest';
import { nameDiagrams } from './diagram-names.js';
import type { MermaidBlock } from './mermaid-blocks.js';

const block = (file: string, heading: string | undefined): MermaidBlock => ({ file, line: 1, heading, source: 'pie' });

describe("the names of the diagrams' pictures", () => {
  it('come from the Markdown file and the heading above the block', () => {
    const named = nameDiagrams([
      block('docs/architecture.md', 'The happy path'),
      block('docs/architecture.md', 'Billing Gates away, then the charge given up'),
      block('docs/decisions/0001-topic-per-outcome.md', '`payments.failed` → refund'),
      block('README.md', undefined),
    ]);
    expect(named.map((diagram) => diagram.name)).toEqual([
      'architecture-the-happy-path',
      'architecture-billing-gates-away-then-the-charge-given-up',
      'decisions-0001-topic-per-outcome-payments-failed-refund',
      'readme-diagram',
    ]);
  });

  it('number a second and third block under the same heading', () => {
    const named = nameDiagrams([block('docs/a.md', 'Flow'), block('docs/a.md', 'Flow'), block('docs/b.md', 'Flow'), block('docs/a.md', 'Flow')]);
    expect(named.map((diagram) => diagram.name)).toEqual(['a-flow', 'a-flow-2', 'b-flow', 'a-flow-3']);
  });
});
