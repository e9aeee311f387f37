import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLAIMS, DEFAULT_OUT, LATEST, PROJECT_README, README } from './write-results.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the published figures writeResults replaces', () => {
  it("are bench/README.md's latest tables, the project README's claims and bench/results/, each found with its markers", () => {
    expect(fileURLToPath(README)).toBe(`${REPO_ROOT}bench/README.md`);
    expect(fileURLToPath(PROJECT_README)).toBe(`${REPO_ROOT}README.md`);
    expect(DEFAULT_OUT).toBe(`${REPO_ROOT}bench/results`);
    const bench = readFileSync(README, 'utf8');
    const project = readFileSync(PROJECT_README, 'utf8');
    expect(bench).toContain(LATEST.begin);
    expect(bench).toContain(LATEST.end);
    expect(project).toContain(CLAIMS.begin);
    expect(project).toContain(CLAIMS.end);
  });
});
