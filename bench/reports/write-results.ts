import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShopperResult } from '../drivers/shopper.js';
import type { BenchResults } from '../results.js';
import { claimTables } from './claims.js';
import { htmlReport } from './html-report.js';
import { markdownTables } from './markdown.js';

/**
 * The published figures: bench/README.md's latest tables, the project README's claims, and the
 * folder whose runs replace them. A file that is not there, or lacks its markers, is passed over
 * in silence (replaceSection), so write-results.test.ts checks that each one is found.
 */
export const README = new URL('../README.md', import.meta.url);
export const PROJECT_README = new URL('../../README.md', import.meta.url);
export const DEFAULT_OUT = fileURLToPath(new URL('../results', import.meta.url));
export const LATEST = { begin: '<!-- bench:latest:begin -->', end: '<!-- bench:latest:end -->' };
export const CLAIMS = { begin: '<!-- bench:claims:begin -->', end: '<!-- bench:claims:end -->' };

/**
 * latest.json (the summary), latest.md and report.html go next to each other in `outDir`; every
 * shopper's own figures go to raw/ (not committed: they are large). The README's table is
 * replaced only by a run of the bench's own system written to bench/results/: a run sent elsewhere
 * with --out is a side experiment, and one against a deployment (--against) measured another
 * system; neither may overwrite the published figures.
 */
export async function writeResults(outDir: string, results: BenchResults, raw: Record<string, ShopperResult[]>): Promise<string[]> {
  const stamp = results.takenAt.replace(/[:.]/g, '-');
  await mkdir(join(outDir, 'raw'), { recursive: true });
  const tables = markdownTables(results);
  const files = {
    json: join(outDir, 'latest.json'),
    md: join(outDir, 'latest.md'),
    html: join(outDir, 'report.html'),
    raw: join(outDir, 'raw', `${stamp}.json`),
  };
  await writeFile(files.json, JSON.stringify(results, null, 1) + '\n');
  await writeFile(files.md, tables);
  await writeFile(files.html, htmlReport(results));
  await writeFile(files.raw, JSON.stringify({ results, shoppers: raw }));
  if (resolve(outDir) !== resolve(DEFAULT_OUT) || results.deployment !== undefined) return Object.values(files);
  await replaceSection(README, LATEST, tables);
  await writeClaims(results);
  return Object.values(files);
}

/** The project README's tables of the seed's four claims (bench/reports/claims.ts), from `results`. */
export async function writeClaims(results: BenchResults): Promise<void> {
  await replaceSection(PROJECT_README, CLAIMS, `${claimTables(results)}\n`);
}

/** Replaces what stands between the two markers of `file`; a file without them is left alone. */
async function replaceSection(file: URL, markers: { begin: string; end: string }, text: string): Promise<void> {
  const content = await readFile(file, 'utf8').catch(() => '');
  const begin = content.indexOf(markers.begin);
  const end = content.indexOf(markers.end);
  if (begin !== -1 && end > begin) await writeFile(file, `${content.slice(0, begin + markers.begin.length)}\n${text}${content.slice(end)}`);
}
