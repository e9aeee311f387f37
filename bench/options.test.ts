import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './options.js';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_FLOOR = resolve(PROJECT_ROOT, '../shared/perf-floor');

describe('--floor', () => {
  it('without the flag, runs no floor and warms for 30 s, as before', () => {
    const options = parseOptions(['--scenario', 'steady']);
    expect(options.floor).toBeUndefined();
    expect(options.warmUp).toBe(30);
  });

  it('alone and last, stands for ../shared/perf-floor beside the project', () => {
    expect(parseOptions(['--scenario', 'steady', '--floor']).floor).toBe(DEFAULT_FLOOR);
  });

  it('alone before another option, stands for the default folder and leaves that option alone', () => {
    const options = parseOptions(['--floor', '--rate', '50']);
    expect(options.floor).toBe(DEFAULT_FLOOR);
    expect(options.rate).toBe(50);
  });

  it('with a folder, takes it relative to the project root', () => {
    expect(parseOptions(['--floor', 'elsewhere/floor']).floor).toBe(resolve(PROJECT_ROOT, 'elsewhere/floor'));
    expect(parseOptions(['--floor=/opt/floor']).floor).toBe('/opt/floor');
  });

  it('when the improved flow is not driven, is refused: there is nothing to compare with', () => {
    expect(() => parseOptions(['--floor', '--flows', 'sync'])).toThrow(UsageError);
    expect(() => parseOptions(['--floor', '--flows', 'sync'])).toThrow(/add async to --flows/);
  });

  it('when neither steady nor step runs, is refused', () => {
    expect(() => parseOptions(['--floor', '--scenario', 'burst'])).toThrow(/add one of them to --scenario/);
  });
});

describe('--warm-up', () => {
  it('takes the seconds of warm-up, at least one', () => {
    expect(parseOptions(['--warm-up', '5']).warmUp).toBe(5);
    expect(() => parseOptions(['--warm-up', '0'])).toThrow(/--warm-up/);
  });
});
