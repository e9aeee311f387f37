import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkedSignal } from './linked-signal.js';

describe('linkedSignal', () => {
  it('aborts with its parent', () => {
    const parent = new AbortController();
    const { signal } = linkedSignal(parent.signal);
    parent.abort(new Error('stopping'));
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toEqual(new Error('stopping'));
  });

  it('once released, leaves no listener on a long-lived parent, however many were linked', () => {
    const parent = new AbortController();
    for (let i = 0; i < 1_000; i++) linkedSignal(parent.signal).release();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once when the parent already is', () => {
    expect(linkedSignal(AbortSignal.abort()).signal.aborted).toBe(true);
  });
});
