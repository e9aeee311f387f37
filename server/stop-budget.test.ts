import { describe, expect, it } from 'vitest';
import { STOP_LIMIT_MS } from '../lib/stop-limit.js';
import { loadConfig } from './config.js';
import { BFF_STOP_BUDGET, MAX_SHUTDOWN_DRAIN_MS } from './stop-budget.js';

/** What a consumer's stop takes after its handlers: the commit and the LeaveGroup, behind a fetch of up to 1 s (maxWaitTimeInMs). */
const CONSUMER_LEAVE_MS = 1_000;

describe("the BFF's stop budget", () => {
  it('the longest drain allowed, the phases after it and the margin add up to the stop limit', () => {
    const { inFlightMs, closingMs, marginMs } = BFF_STOP_BUDGET;
    expect(MAX_SHUTDOWN_DRAIN_MS + inFlightMs + closingMs + marginMs).toBe(STOP_LIMIT_MS);
    expect(marginMs).toBeGreaterThanOrEqual(1_000);
    // The manifests' drain (deploy/k8s/base/bff.yaml, 5 s) and docker-compose's (2.5 s) fit.
    expect(MAX_SHUTDOWN_DRAIN_MS).toBeGreaterThanOrEqual(5_000);
  });

  it("requests, and the consumers' handlers with their commit and leave, each fit the in-flight phase", () => {
    const { requestsMs, handlersMs, inFlightMs } = BFF_STOP_BUDGET;
    expect(requestsMs).toBeLessThan(inFlightMs);
    expect(handlersMs + CONSUMER_LEAVE_MS).toBeLessThan(inFlightMs);
  });

  it('a SHUTDOWN_DRAIN_MS that leaves the rest of the stop too little time stops start-up with a line naming it', () => {
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: String(MAX_SHUTDOWN_DRAIN_MS) }).SHUTDOWN_DRAIN_MS).toBe(MAX_SHUTDOWN_DRAIN_MS);
    expect(() => loadConfig({ SHUTDOWN_DRAIN_MS: String(MAX_SHUTDOWN_DRAIN_MS + 1) })).toThrow(/^invalid configuration: SHUTDOWN_DRAIN_MS: .*5000/);
  });
});
