import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isRegistered, metricsInQuery, registeredMetricNames } from '../registered-metrics.js';
import { promtool } from './promtool.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const REPO = here('../../');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface AlertTest {
  alertname: string;
  exp_alerts?: unknown[];
}

const rules = (parse(readFileSync(here('alerts.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((group) => group.rules);
const alerts = rules.filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);
const recorded = new Set(rules.flatMap((rule) => (rule.record === undefined ? [] : [rule.record])));
const cases = (parse(readFileSync(here('alerts.test.yml'), 'utf8')) as { tests: Array<{ alert_rule_test: AlertTest[] }> }).tests.flatMap(
  (test) => test.alert_rule_test,
);

/** The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as dashes. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('the alerting rules (deploy/prometheus/alerts.yml)', () => {
  it('pass promtool check rules', () => {
    const { status, output } = promtool(here('.'), 'check', 'rules', 'alerts.yml');
    expect(status, output).toBe(0);
  });

  it('pass their unit tests on recorded series (promtool test rules alerts.test.yml)', () => {
    const { status, output } = promtool(here('.'), 'test', 'rules', 'alerts.test.yml');
    expect(status, output).toBe(0);
  });

  it('each have a test that fires them and one that shows them quiet', () => {
    expect(alerts.length).toBeGreaterThan(0);
    for (const { alert } of alerts) {
      const own = cases.filter((c) => c.alertname === alert);
      expect(
        own.some((c) => (c.exp_alerts?.length ?? 0) > 0),
        `${alert} fires in a test`,
      ).toBe(true);
      expect(
        own.some((c) => (c.exp_alerts?.length ?? 0) === 0),
        `${alert} is quiet in a test`,
      ).toBe(true);
    }
  });

  it('each carry a severity, a summary and a description naming a runbook section of docs/operations.md that exists', () => {
    const operations = readFileSync(`${REPO}docs/operations.md`, 'utf8');
    const anchors = new Set([...operations.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchorOf(heading!)));
    for (const { alert, labels, annotations } of alerts) {
      expect(['critical', 'warning'], alert).toContain(labels?.['severity']);
      expect(annotations?.['summary'], alert).toBeTruthy();
      const runbook = annotations?.['runbook_url'] ?? '';
      expect(runbook, alert).toMatch(/^docs\/operations\.md#[a-z0-9-]+$/);
      expect(annotations?.['description'], alert).toContain(runbook);
      expect(anchors, `${alert}: docs/operations.md has no heading for ${runbook}`).toContain(runbook.split('#')[1]);
    }
  });

  it('read only metrics the code registers', () => {
    const registered = registeredMetricNames(REPO);
    const used = rules.flatMap((rule) => metricsInQuery(rule.expr));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !isRegistered(name, registered))).toEqual([]);
    const recordedUsed = rules.flatMap((rule) => [...rule.expr.matchAll(/\b(payflow:[a-z0-9_:]+)/g)].map(([, name]) => name!));
    expect(recordedUsed.filter((name) => !recorded.has(name))).toEqual([]);
  });
});
