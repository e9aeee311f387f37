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

describe('--against', () => {
  const against = ['--against', 'http://127.0.0.1:3000/'];

  it('without the flag, starts a system of its own as before: every scenario, both flows, tokens verified', () => {
    const options = parseOptions([]);
    expect(options.against).toBeUndefined();
    expect(options.scenarios).toContain('outage');
    expect(options.flows).toEqual(['async', 'sync']);
    expect(options.verifyToken).toBe(true);
    expect(options.out).toBe('bench/results');
    expect(options.againstPids).toEqual([]);
  });

  it('alone, runs what needs only the URL: steady, step and burst of the improved flow, tokens unverified, results apart', () => {
    const options = parseOptions(against);
    expect(options.against).toBe('http://127.0.0.1:3000');
    expect(options.scenarios).toEqual(['steady', 'step', 'burst']);
    expect(options.flows).toEqual(['async']);
    expect(options.verifyToken).toBe(false);
    expect(options.out).toBe('bench/results/against-deployment');
    expect(options.warmUp).toBe(30);
  });

  it('with Udi, verifies each token unless told not to', () => {
    expect(parseOptions([...against, '--against-udi', 'http://127.0.0.1:4002']).verifyToken).toBe(true);
    expect(parseOptions([...against, '--against-udi', 'http://127.0.0.1:4002', '--verify-token', 'false']).verifyToken).toBe(false);
  });

  it('asked to verify tokens without Udi, is refused: it would be skipped silently', () => {
    expect(() => parseOptions([...against, '--verify-token', 'true'])).toThrow(/--verify-token true: .*add --against-udi URL/);
  });

  it('takes the scenarios asked for, and the given --out', () => {
    const options = parseOptions([...against, '--scenario', 'steady,step', '--flows', 'async', '--out', '/tmp/against']);
    expect(options.scenarios).toEqual(['steady', 'step']);
    expect(options.out).toBe('/tmp/against');
  });

  it.each([
    ['outage', /--scenario outage: not with --against: it takes Billing Gates down/],
    ['waiting', /--scenario waiting: not with --against/],
    ['surge', /--scenario surge: not with --against/],
    ['workers-down', /--scenario workers-down: not with --against: it stops and starts the workers/],
    ['scale-out', /--scenario scale-out: not with --against/],
  ])('refuses the %s scenario, which needs control of the system', (scenario, message) => {
    expect(() => parseOptions([...against, '--scenario', `steady,${scenario}`])).toThrow(UsageError);
    expect(() => parseOptions([...against, '--scenario', `steady,${scenario}`])).toThrow(message);
  });

  it.each([
    [['--flows', 'async,sync'], /--flows sync: not with --against: the current flow runs on the bench's own baseline server/],
    [['--floor'], /--floor: not with --against/],
    [['--cpu-prof', '/tmp/prof'], /--cpu-prof: not with --against/],
    [['--heap-snapshot', '/tmp/heap'], /--heap-snapshot: not with --against/],
    [['--partitions', '3'], /--partitions: not with --against: .*TOPIC_PARTITIONS/],
  ])("refuses %j, which acts on the bench's own system", (extra, message) => {
    expect(() => parseOptions([...against, ...extra])).toThrow(message);
  });

  it('is refused when it is no http(s) URL', () => {
    expect(() => parseOptions(['--against', '127.0.0.1:3000'])).toThrow(/--against: must be an http:\/\/ or https:\/\/ URL/);
    expect(() => parseOptions(['--against', 'http://127.0.0.1:3000', '--against-udi', 'udi'])).toThrow(/--against-udi: must be an http/);
  });

  it('takes the processes to measure as name=pid, each name once', () => {
    expect(parseOptions([...against, '--against-pids', 'bff=120, kafka=7']).againstPids).toEqual([
      { name: 'bff', pid: 120 },
      { name: 'kafka', pid: 7 },
    ]);
    expect(() => parseOptions([...against, '--against-pids', 'bff'])).toThrow(/--against-pids: each must be name=pid/);
    expect(() => parseOptions([...against, '--against-pids', 'bff=1,bff=2'])).toThrow(/--against-pids: bff is named twice/);
  });

  it("refuses a deployment's Udi or pids without a deployment", () => {
    expect(() => parseOptions(['--against-udi', 'http://127.0.0.1:4002'])).toThrow(/--against-udi: only with --against URL/);
    expect(() => parseOptions(['--against-pids', 'bff=1'])).toThrow(/--against-pids: only with --against URL/);
  });
});
