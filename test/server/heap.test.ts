// The server's heap setting (HEAP_GROWING_PERCENT): V8's own growth while the heap is small, the cap once it is
// large (the board's full computation), so a burst's garbage does not set the process's RSS and a small heap
// does not pay for more frequent full GCs on every request.
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../server/env.ts';
import { HEAP_CAP_ABOVE_BYTES, heapGrowingPercentFor } from '../../server/runtime.ts';

const MB = 1024 * 1024;

describe('heapGrowingPercentFor', () => {
  it("keeps V8's own growth for a small heap and caps a large one", () => {
    expect(HEAP_CAP_ABOVE_BYTES).toBe(48 * MB);
    expect(heapGrowingPercentFor(17 * MB, 50)).toBe(0);
    expect(heapGrowingPercentFor(48 * MB, 50)).toBe(0);
    expect(heapGrowingPercentFor(48 * MB + 1, 50)).toBe(50);
    expect(heapGrowingPercentFor(220 * MB, 50)).toBe(50);
    expect(heapGrowingPercentFor(220 * MB, 0)).toBe(0);
  });

  it('reads HEAP_GROWING_PERCENT: 50 by default, 0 turns it off, a bad value stops start-up', () => {
    expect(readEnv({}).HEAP_GROWING_PERCENT).toBe(50);
    expect(readEnv({ HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(() => readEnv({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => readEnv({ HEAP_GROWING_PERCENT: '-5' })).toThrow(/HEAP_GROWING_PERCENT/);
  });
});
