// The attempt limiter on its own, over the store, on a fixed clock: a table of attempt histories and what
// the next attempt is told. (It was per process; the counts now live in the store, shared by processes.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../server/errors.ts';
import { type AttemptLimiter, createAttemptLimiter, type Limit } from '../../server/http/rate-limit.ts';
import { createAttempts } from '../../server/store/attempts.ts';
import { openStore, type Store } from '../../server/store/index.ts';

const start = Date.parse('2026-11-25T12:00:00Z');
const minute = 60_000;

/** A step at a minute offset: an attempt that failed, succeeded, was released, or is left running. */
type Step = [atMinute: number, outcome: 'fail' | 'succeed' | 'release' | 'running'];

let store: Store;
beforeEach(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
});
afterEach(() => store.close());

const limit = (key: string): Limit => ({ kind: 'subject', key });

/** What begin() says: 'ok', or the retryAfterSeconds and message of its 429. */
async function verdict(
  limiter: AttemptLimiter,
  key: string,
): Promise<'ok' | { retryAfterSeconds: unknown; message: string }> {
  try {
    await limiter.begin([limit(key)]);
    return 'ok';
  } catch (error) {
    if (!isAppError(error) || error.code !== 'rate_limited') throw error;
    return {
      retryAfterSeconds: (error.details as { retryAfterSeconds: unknown }).retryAfterSeconds,
      message: error.message,
    };
  }
}

function limiterAt(clock: { now: number }, limits: { subject?: number } = {}) {
  return createAttemptLimiter({
    attempts: createAttempts(store.db, store.dialect),
    now: () => new Date(clock.now),
    limits: { subject: limits.subject ?? 3, windowMs: 15 * minute },
  });
}

async function run(steps: Step[], checkAt: number, opts: { key?: string } = {}) {
  const clock = { now: start };
  const limiter = limiterAt(clock);
  for (const [atMinute, outcome] of steps) {
    clock.now = start + atMinute * minute;
    const attempt = await limiter.begin([limit('k')]);
    if (outcome === 'fail') await attempt.end(() => 'fail');
    else if (outcome === 'succeed') await attempt.end(() => 'ok');
    else if (outcome === 'release') await attempt.end(() => 'release');
  }
  clock.now = start + checkAt * minute;
  return verdict(limiter, opts.key ?? 'k');
}

const fails = (...minutes: number[]): Step[] => minutes.map((m) => [m, 'fail']);

describe('createAttemptLimiter (max 3 per 15 minutes)', () => {
  it.each([
    ['no history', [], 0, 'ok'],
    ['2 failures', fails(0, 1), 2, 'ok'],
    [
      '3 failures, checked at once',
      fails(0, 0, 0),
      0,
      { retryAfterSeconds: 900, message: 'Too many failed attempts: try again in 15 minutes' },
    ],
    [
      '3 failures spread: the oldest frees a slot first',
      fails(0, 5, 10),
      11,
      { retryAfterSeconds: 240, message: 'Too many failed attempts: try again in 4 minutes' },
    ],
    [
      '3 failures, 14.99 min later',
      fails(0, 0, 0),
      14.99,
      { retryAfterSeconds: 1, message: 'Too many failed attempts: try again in 1 minute' },
    ],
    ['3 failures, 15 min later', fails(0, 0, 0), 15, 'ok'],
    ['3 failures spread, the first gone', fails(0, 5, 10), 15, 'ok'],
    [
      '2 failures, a success, 2 failures',
      [...fails(0, 0), [1, 'succeed'], ...fails(2, 2)] as Step[],
      3,
      'ok',
    ],
    [
      '2 failures, a success, 3 failures',
      [...fails(0, 0), [1, 'succeed'], ...fails(2, 2, 2)] as Step[],
      3,
      { retryAfterSeconds: 840, message: 'Too many failed attempts: try again in 14 minutes' },
    ],
    [
      '3 released attempts (upstream down)',
      [
        [0, 'release'],
        [0, 'release'],
        [0, 'release'],
      ] as Step[],
      0,
      'ok',
    ],
    [
      '2 failures and 1 attempt still running',
      [...fails(0, 0), [0, 'running']] as Step[],
      0,
      { retryAfterSeconds: 900, message: 'Too many failed attempts: try again in 15 minutes' },
    ],
    [
      '3 attempts left running expire with the window',
      [
        [0, 'running'],
        [0, 'running'],
        [0, 'running'],
      ] as Step[],
      15,
      'ok',
    ],
  ] as const)('%s', async (_name, steps, checkAt, expected) => {
    expect(await run([...steps], checkAt)).toEqual(expected);
  });

  it('another key is unaffected', async () => {
    expect(await run(fails(0, 0, 0), 0, { key: 'other' })).toBe('ok');
  });

  it('defaults to 30 failures per IP and 10 per subject at an IP, per 15 minutes', async () => {
    const limiter = createAttemptLimiter({
      attempts: createAttempts(store.db, store.dialect),
      now: () => new Date(start),
    });
    const tries = async (kind: Limit['kind'], key: string, times: number) => {
      const results: unknown[] = [];
      for (let i = 0; i < times; i++) {
        const attempt = await limiter.begin([{ kind, key }]).catch((e: unknown) => e);
        if (isAppError(attempt))
          results.push((attempt.details as { retryAfterSeconds: number }).retryAfterSeconds);
        else {
          await (attempt as Awaited<ReturnType<AttemptLimiter['begin']>>).end(() => 'fail');
          results.push('ok');
        }
      }
      return results;
    };
    const ok = (n: number) => Array.from({ length: n }, () => 'ok');
    expect(await tries('subject', 's', 11)).toEqual([...ok(10), 900]);
    expect(await tries('ip', 'i', 31)).toEqual([...ok(30), 900]);
  });

  it('refusing one limit counts the attempt under none', async () => {
    const clock = { now: start };
    const limiter = limiterAt(clock, { subject: 1 });
    await (await limiter.begin([limit('a')])).end(() => 'fail');
    await expect(limiter.begin([limit('b'), limit('a')])).rejects.toThrow('Too many failed attempts');
    // 'b' was reserved before 'a' refused: released, so 'b' still has its one attempt.
    expect(await verdict(limiter, 'b')).toBe('ok');
  });
});
