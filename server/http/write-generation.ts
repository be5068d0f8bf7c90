// A counter of the writes this process has seen on /api: a result kept or shared between requests (the pod views
// in flight, the audit's paging snapshot) is used only while the counter still reads what it read when the
// result was computed, so a sync, an ignore, a restore or a binding made since is never hidden behind it.
export type WriteGeneration = {
  /** The count now: equal counts mean no write started or ended in between. */
  current(): number;
  /** Counted when a write starts and again when it ends (a result begun during a write is not reused after). */
  bump(): void;
};

export function createWriteGeneration(): WriteGeneration {
  let count = 0;
  return {
    current: () => count,
    bump() {
      count++;
    },
  };
}

const generations = new WeakMap<object, WriteGeneration>();

/** The one counter of an API context (one per app): every router of that app reads the same one. */
export function writeGenerationOf(owner: object): WriteGeneration {
  let generation = generations.get(owner);
  if (!generation) {
    generation = createWriteGeneration();
    generations.set(owner, generation);
  }
  return generation;
}

/** Reads that never write: everything else counts as a write. */
export const isReadMethod = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
