/**
 * Resolves after `ms`, or at once when one of `signals` aborts (or already has). The abort
 * listeners are removed when it resolves: the signals given are often long-lived (the consumer's
 * for its whole life), and a listener left per call would keep every retry's closure forever.
 */
export function sleep(ms: number, ...signals: Array<AbortSignal | undefined>): Promise<void> {
  const given = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (given.some((signal) => signal.aborted)) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      for (const signal of given) signal.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    for (const signal of given) signal.addEventListener('abort', wake, { once: true });
  });
}
