import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_PARTS, terminalWords, withGeneratedParts } from './lifecycle-docs.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe("the docs written from the lifecycle's table", () => {
  it('docs/architecture.md shows the state diagram and the events as contracts/lifecycle.ts declares them (else: npm run docs:lifecycle)', () => {
    const committed = read('docs/architecture.md');
    expect(committed).toBe(withGeneratedParts(committed, ARCHITECTURE_PARTS));
  });

  it.each(['deploy/prometheus/alerts.yml', 'deploy/prometheus/alerts.test.yml', 'deploy/grafana/dashboards/payflow.json', 'README.md', 'docs/operations.md'])(
    '%s names the terminal statuses the table has, the set the unfinished-payments alert waits for',
    (path) => {
      expect(read(path)).toContain(terminalWords());
    },
  );

  it('names the terminal statuses in words', () => {
    expect(terminalWords()).toBe('confirmed, failed, refunded or refund_failed');
  });

  it('says which markers are missing rather than writing nowhere', () => {
    expect(() => withGeneratedParts('# no markers', ARCHITECTURE_PARTS)).toThrow(/generated part "status-diagram" are missing/);
  });
});
