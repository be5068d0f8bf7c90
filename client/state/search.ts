// Small pure helpers the list models share: word search, and copy-on-write updates of a set or map signal.

/** A test that passes text holding every word of the query, in any order and case ('' passes all). */
export function wordMatcher(query: string): (text: string) => boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return (text) => {
    const lower = text.toLowerCase();
    return words.every((w) => lower.includes(w));
  };
}

/** A copy of the set with the item in it (on) or not. */
export function withMember<T>(set: ReadonlySet<T>, item: T, on: boolean): ReadonlySet<T> {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
}

/** A copy of the map with the key set to the value, or removed when the value is undefined. */
export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V | undefined): ReadonlyMap<K, V> {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}
