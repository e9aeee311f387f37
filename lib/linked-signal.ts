/**
 * A signal of its own that aborts when `parent` does, for one piece of work; `release()` when the
 * work is done removes the link. Work that combines signals (e.g. `AbortSignal.any` with a
 * timeout, as the downstream clients do) then holds a short-lived signal, never the long-lived
 * parent: on Node 20 `AbortSignal.any` keeps what it combines alive as long as its sources, so
 * combining the consumer's lifetime signal kept every call's signals until the process ended.
 */
export function linkedSignal(parent: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, release: () => undefined };
  }
  const abort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, release: () => parent.removeEventListener('abort', abort) };
}
