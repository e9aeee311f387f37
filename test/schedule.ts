/**
 * When the slow test files run, so that files running side by side end at about the same time.
 * test/file-seconds.json holds the seconds each file took on CI (a fresh clone on two cores),
 * keyed by its path from the repository root. The figures only need to be roughly right, and a
 * file not listed needs no entry: it counts as the median of those listed.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export type FileSeconds = Record<string, number>;

export const FILE_SECONDS: FileSeconds = JSON.parse(readFileSync(new URL('file-seconds.json', import.meta.url), 'utf8')) as FileSeconds;

/** `files` in `count` groups of about the same total seconds: the longest first, each to the group with the fewest seconds so far. */
export function dealBySeconds(files: string[], count: number, seconds: FileSeconds = FILE_SECONDS): string[][] {
  const known = Object.values(seconds).sort((a, b) => a - b);
  const median = known[Math.floor(known.length / 2)] ?? 1;
  const secondsOf = (file: string) => seconds[file] ?? median;
  const groups = Array.from({ length: count }, () => ({ files: [] as string[], total: 0 }));
  for (const file of [...files].sort((a, b) => secondsOf(b) - secondsOf(a) || a.localeCompare(b))) {
    const fewest = groups.reduce((min, group) => (group.total < min.total ? group : min));
    fewest.files.push(file);
    fewest.total += secondsOf(file);
  }
  return groups.map((group) => group.files.sort());
}

/**
 * Vitest's own order, except that the files of a project whose every file is in
 * test/file-seconds.json run longest first. Vitest orders by the durations of the last run on the
 * machine itself, but a fresh clone has none: it then starts the largest files first, which for
 * the chaos files, two at a time, left the second longest to start after two short ones (223 s
 * instead of 183 s, by the durations of a run here).
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const secondsOf = (spec: TestSpecification) => FILE_SECONDS[relative(root, spec.moduleId)];
    const projects = [...new Set(sorted.map((spec) => spec.project.name))];
    return projects.flatMap((name) => {
      const own = sorted.filter((spec) => spec.project.name === name);
      return own.every((spec) => secondsOf(spec) !== undefined) ? own.sort((a, b) => secondsOf(b)! - secondsOf(a)!) : own;
    });
  }
}
