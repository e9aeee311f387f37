import { describe, expect, it } from 'vitest';
import { renderFailure } from './render-failure.js';

describe('the message for a diagram that does not render', () => {
  it("names the block, the file line mermaid points at, and mermaid's words", () => {
    const error = "Parse error on line 3:\n...\nExpecting 'ACTOR', got 'NEWLINE'";
    expect(renderFailure({ file: 'docs/architecture.md', line: 69, heading: 'The happy path', source: '' }, error)).toBe(
      `DIAGRAM_DOES_NOT_RENDER: the mermaid block at docs/architecture.md:69 (under "The happy path") does not render; mermaid's line 3 is docs/architecture.md:72. Correct it until mermaid draws it; mermaid says:\n${error}`,
    );
  });

  it('leaves out the line where mermaid names none', () => {
    expect(renderFailure({ file: 'README.md', line: 5, heading: undefined, source: '' }, 'No diagram type detected')).toBe(
      'DIAGRAM_DOES_NOT_RENDER: the mermaid block at README.md:5 does not render. Correct it until mermaid draws it; mermaid says:\nNo diagram type detected',
    );
  });
});
