/**
 * Counts what hangs on the AbortSignals of this process: the `abort` listeners added and not
 * removed, and the composite signals that `AbortSignal.any` registered on each source (Node keeps
 * those in an internal set, which on Node 20 never shrinks). A measuring device for leak tests:
 * every call goes through to Node's own implementation unchanged.
 */
export interface SignalCensus {
  /** The most listeners, and the most registered composites, on any one live (not aborted) signal. */
  largest(): { listeners: number; composites: number };
  stop(): void;
}

export function startSignalCensus(): SignalCensus {
  const listeners = new WeakMap<AbortSignal, number>();
  const seen = new Set<WeakRef<AbortSignal>>();
  const known = new WeakSet<AbortSignal>();
  const track = (signal: AbortSignal) => {
    if (known.has(signal)) return;
    known.add(signal);
    seen.add(new WeakRef(signal));
  };

  type Method = (this: AbortSignal, type: string, ...rest: unknown[]) => void;
  const proto = AbortSignal.prototype as unknown as { addEventListener: Method; removeEventListener: Method };
  const { addEventListener, removeEventListener } = proto;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was, a static method never called unbound here
  const originalAny = AbortSignal.any;
  const any = originalAny.bind(AbortSignal);
  proto.addEventListener = function (this: AbortSignal, type: string, ...rest: unknown[]) {
    if (type === 'abort') {
      track(this);
      listeners.set(this, (listeners.get(this) ?? 0) + 1);
    }
    addEventListener.call(this, type, ...rest);
  };
  proto.removeEventListener = function (this: AbortSignal, type: string, ...rest: unknown[]) {
    if (type === 'abort') listeners.set(this, Math.max(0, (listeners.get(this) ?? 0) - 1));
    removeEventListener.call(this, type, ...rest);
  };
  AbortSignal.any = (signals: AbortSignal[]) => {
    signals.forEach(track);
    return any(signals);
  };

  return {
    largest() {
      let most = { listeners: 0, composites: 0 };
      for (const ref of seen) {
        const signal = ref.deref();
        if (signal === undefined) {
          seen.delete(ref);
          continue;
        }
        if (signal.aborted) continue; // an aborted signal drops its listeners and composites
        most = { listeners: Math.max(most.listeners, listeners.get(signal) ?? 0), composites: Math.max(most.composites, compositesOf(signal)) };
      }
      return most;
    },
    stop() {
      proto.addEventListener = addEventListener;
      proto.removeEventListener = removeEventListener;
      AbortSignal.any = originalAny;
    },
  };
}

/** The size of Node's internal set of composites depending on `signal` (0 where Node has none). */
function compositesOf(signal: AbortSignal): number {
  const key = Object.getOwnPropertySymbols(signal).find((symbol) => symbol.description === 'kDependantSignals');
  // Node's own Set subclass, from its internal realm: `instanceof Set` does not hold.
  const set = key === undefined ? undefined : (signal as unknown as Record<symbol, { size?: unknown } | undefined>)[key];
  return typeof set?.size === 'number' ? set.size : 0;
}
