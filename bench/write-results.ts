import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { htmlReport } from './html-report.js';
import { markdownTables } from './markdown.js';
import type { BenchResults } from './results.js';
import type { ShopperResult } from './shopper.js';

const README = new URL('./README.md', import.meta.url);
const DEFAULT_OUT = fileURLToPath(new URL('./results', import.meta.url));
const BEGIN = '<!-- bench:latest:begin -->';
const END = '<!-- bench:latest:end -->';

/**
 * latest.json (the summary), latest.md and report.html go next to each other in `outDir`; every
 * shopper's own figures go to raw/ (not committed: they are large). The README's table is
 * replaced only by a run written to bench/results/: a run sent elsewhere with --out is a side
 * experiment, and must not overwrite the published figures.
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
  if (resolve(outDir) !== resolve(DEFAULT_OUT)) return Object.values(files);
  const readme = await readFile(README, 'utf8').catch(() => '');
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin !== -1 && end > begin) await writeFile(README, `${readme.slice(0, begin + BEGIN.length)}\n${tables}${readme.slice(end)}`);
  return Object.values(files);
}
