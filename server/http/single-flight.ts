// Single-flight: callers asking for the same key while a call for it is in flight share that call's promise
// (its answer or its failure) instead of starting their own. Used for idempotent upstream GETs per tenant
// client, so a burst of identical pod views makes one set of upstream calls. Nothing is cached: the key is
// forgotten as soon as the call settles.
export type SingleFlight<T> = {
  run(key: string, call: () => Promise<T>): Promise<T>;
  /** Keys in flight now (tests). */
  readonly size: number;
};

export function createSingleFlight<T>(): SingleFlight<T> {
  const inFlight = new Map<string, Promise<T>>();
  return {
    run(key, call) {
      const running = inFlight.get(key);
      if (running) return running;
      const started = call().finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
    get size() {
      return inFlight.size;
    },
  };
}
