import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Run {
  code: number | null;
  lines: Array<Record<string, any>>;
}

/** Runs test/support/crashing-main.ts with CRASH=`crash`; its stdout's JSON lines and exit code. */
function runCrashing(crash: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crashing-main.ts'], {
      env: { ...process.env, CRASH: crash },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = stdout.split('\n').flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, any>];
        } catch {
          return [];
        }
      });
      resolve({ code, lines });
    });
  });
}

describe('runMain', () => {
  it.each([
    ['rejection', 'a promise nobody awaited was rejected'],
    ['exception', 'a timer threw'],
    ['rejection-while-starting', 'a promise nobody awaited was rejected'],
  ])(
    'a process whose %s goes unhandled logs it as one structured line with the error, then exits 1',
    async (crash, message) => {
      const run = await runCrashing(crash);
      expect(run.lines.filter((line) => line['err']?.message === message)).toEqual([
        expect.objectContaining({ level: 60, role: 'crashing-main', err: expect.objectContaining({ stack: expect.stringContaining(message) }) }),
      ]);
      expect(run.code).toBe(1);
    },
    30_000,
  );
});
