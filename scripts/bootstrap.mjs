#!/usr/bin/env node
// Runs before `npm start` and `npm test` (npm's prestart/pretest hooks) so that both work from a
// fresh clone: installs npm dependencies when they are missing or stale, and the system tools
// payflow runs (redis-server, and redis-sentinel for a replicated Redis, a JRE and Maven for Kafka,
// HAProxy in front of BFF replicas, Chromium for the browser tests and ffmpeg for their videos,
// promtool for the alerting rules' tests).
//
// Plain JavaScript with no dependencies on purpose: it runs before node_modules exists.
// Usage: node scripts/bootstrap.mjs [--for=test]

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTest = process.argv.includes('--for=test');
// The browser tests of a system someone else runs need only the browser and its video encoder.
const browserOnly = forTest && Boolean(process.env.PAYFLOW_BFF_URL);
// Playwright films the page only outside CI (playwright.config.ts): only there is ffmpeg needed.
const filmThePage = forTest && !process.env.CI;

installNpmDependencies();
installSystemTools();
if (filmThePage) lendFfmpegToPlaywright();

function installNpmDependencies() {
  const lockfile = join(root, 'package-lock.json');
  // npm writes node_modules/.package-lock.json on every install: older than the lockfile means
  // someone pulled new dependencies since.
  const installed = join(root, 'node_modules', '.package-lock.json');
  const hasLockfile = existsSync(lockfile);
  const stale = !existsSync(installed) || (hasLockfile && statSync(lockfile).mtimeMs > statSync(installed).mtimeMs);
  if (!stale) return;
  // npm ci empties the directory a linked node_modules points to before it replaces the link with
  // its own: every other checkout sharing that directory loses its dependencies meanwhile.
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    say(
      `node_modules links to ${realpathSync(modules)}, which looks older than package-lock.json: install there (npm ci in the checkout that owns it) rather than here`,
    );
    return;
  }
  const args = hasLockfile ? ['ci'] : ['install'];
  say(`installing npm dependencies (npm ${args[0]}) …`);
  run('npm', args);
}

function installSystemTools() {
  // A configured KAFKA_BROKERS / REDIS_URL (or REDIS_SENTINELS) means someone else runs that service here.
  const localRedis = !process.env.REDIS_URL && !process.env.REDIS_SENTINELS;
  const wanted = [
    { tool: 'redis-server', found: onPath('redis-server'), pkg: 'redis-server', needed: localRedis, or: 'set REDIS_URL to a running Redis' },
    // The Sentinels of a replicated Redis (REDIS_NODES > 1); the chaos tests always run one.
    {
      tool: 'redis-sentinel',
      found: onPath('redis-sentinel'),
      pkg: 'redis-sentinel',
      needed: localRedis && (forTest || Number(process.env.REDIS_NODES || 1) > 1),
      or: 'run one Redis (REDIS_NODES=1), or set REDIS_URL to a running Redis',
    },
    { tool: 'java', found: onPath('java'), pkg: 'default-jre-headless', needed: !process.env.KAFKA_BROKERS, or: 'set KAFKA_BROKERS to a running Kafka' },
    { tool: 'mvn', found: onPath('mvn'), pkg: 'maven', needed: !process.env.KAFKA_BROKERS, or: 'set KAFKA_BROKERS to a running Kafka' },
    // The load balancer in front of BFF replicas; the browser and scale tests always run replicas.
    {
      tool: 'haproxy',
      found: onPath('haproxy') || existsSync('/usr/sbin/haproxy'),
      pkg: 'haproxy',
      needed: forTest || Number(process.env.BFF_REPLICAS ?? 1) > 1,
      or: 'run a single BFF (BFF_REPLICAS=1)',
    },
    // Playwright drives the Debian Chromium through executablePath; it never downloads a browser.
    { tool: 'chromium', found: existsSync('/usr/bin/chromium'), pkg: 'chromium', needed: forTest, or: undefined },
    // Encodes the videos of failed browser tests in the HTML report.
    { tool: 'ffmpeg', found: onPath('ffmpeg'), pkg: 'ffmpeg', needed: filmThePage, or: undefined },
    // promtool checks and unit-tests the alerting rules (deploy/prometheus/alerts.test.ts), and
    // Prometheus evaluates them on the real processes (test/integration/alerts.int.test.ts).
    { tool: 'promtool and prometheus', found: onPath('promtool') && onPath('prometheus'), pkg: 'prometheus', needed: forTest, or: undefined },
  ];
  const missing = wanted.filter(({ tool, needed, found }) => needed && !found && (!browserOnly || tool === 'chromium' || tool === 'ffmpeg'));
  if (missing.length === 0) return;

  if (process.getuid?.() !== 0) {
    for (const { tool, pkg, or } of missing) {
      say(`${tool} is missing: install it with \`sudo apt-get install -y ${pkg}\`${or ? `, or ${or}` : ''}`);
    }
    process.exit(1);
  }
  const packages = missing.map(({ pkg }) => pkg);
  // Wait for another apt/dpkg run to finish instead of failing on its lock.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  say('updating the apt package lists (apt-get update) …');
  run('apt-get', [...lockWait, 'update']);
  say(`installing ${packages.join(', ')} (apt-get install -y) …`);
  run('apt-get', [...lockWait, 'install', '-y', ...packages], { DEBIAN_FRONTEND: 'noninteractive' });
}

// Playwright records videos with an ffmpeg of its own that `npx playwright install` downloads from
// a CDN this machine cannot reach: Debian's takes its place, where Playwright looks for it.
function lendFfmpegToPlaywright() {
  const browsers = JSON.parse(readFileSync(join(root, 'node_modules', 'playwright-core', 'browsers.json'), 'utf8'));
  const revision = browsers.browsers.find(({ name }) => name === 'ffmpeg')?.revision;
  if (revision === undefined) return;
  const registry = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  const target = join(registry, `ffmpeg-${revision}`, 'ffmpeg-linux');
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { force: true }); // a link left dangling
  symlinkSync('/usr/bin/ffmpeg', target);
  say(`linked Debian's ffmpeg for Playwright's videos at ${target}`);
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    say(`\`${command} ${args.join(' ')}\` failed${result.error ? `: ${result.error.message}` : ` (exit ${result.status})`}`);
    process.exit(1);
  }
}

function say(line) {
  process.stderr.write(`bootstrap: ${line}\n`);
}
