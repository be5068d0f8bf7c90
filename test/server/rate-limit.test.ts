// The failure limiter on its own, on a fixed clock: a table of attempt histories and what the next check says.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../server/errors.ts';
import { createFailureLimiter } from '../../server/http/rate-limit.ts';

const start = Date.parse('2026-11-25T12:00:00Z');
const minute = 60_000;

/** A step at a minute offset: check+fail, check+succeed, check+release, or a check left running. */
type Step = [atMinute: number, outcome: 'fail' | 'succeed' | 'release' | 'running'];

/** What check() says: 'ok', or the retryAfterSeconds and message of its 429. */
function verdict(check: () => void): 'ok' | { retryAfterSeconds: unknown; message: string } {
  try {
    check();
    return 'ok';
  } catch (error) {
    if (!isAppError(error) || error.code !== 'rate_limited') throw error;
    return {
      retryAfterSeconds: (error.details as { retryAfterSeconds: unknown }).retryAfterSeconds,
      message: error.message,
    };
  }
}

function run(steps: Step[], checkAt: number, opts: { max?: number; key?: string } = {}) {
  const clock = { now: start };
  const limiter = createFailureLimiter({
    max: opts.max ?? 3,
    windowMs: 15 * minute,
    now: () => new Date(clock.now),
  });
  for (const [atMinute, outcome] of steps) {
    clock.now = start + atMinute * minute;
    limiter.check('k');
    if (outcome === 'fail') limiter.fail('k');
    else if (outcome === 'succeed') limiter.succeed('k');
    else if (outcome === 'release') limiter.release('k');
  }
  clock.now = start + checkAt * minute;
  return verdict(() => limiter.check(opts.key ?? 'k'));
}

const fails = (...minutes: number[]): Step[] => minutes.map((m) => [m, 'fail']);

describe('createFailureLimiter (max 3 per 15 minutes)', () => {
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
  ] as const)('%s', (_name, steps, checkAt, expected) => {
    expect(run([...steps], checkAt)).toEqual(expected);
  });

  it('another key is unaffected', () => {
    expect(run(fails(0, 0, 0), 0, { key: 'other' })).toBe('ok');
  });

  it('defaults to 10 failures per 15 minutes', () => {
    const limiter = createFailureLimiter({ now: () => new Date(start) });
    const results = Array.from({ length: 11 }, () => {
      const v = verdict(() => limiter.check('k'));
      if (v === 'ok') limiter.fail('k');
      return v === 'ok' ? 'ok' : v.retryAfterSeconds;
    });
    expect(results).toEqual([...Array.from({ length: 10 }, () => 'ok'), 900]);
  });

  it('forgets the least recently failed keys past maxKeys', () => {
    const limiter = createFailureLimiter({ max: 1, maxKeys: 2, now: () => new Date(start) });
    for (const key of ['a', 'b', 'a', 'c']) {
      if (verdict(() => limiter.check(key)) === 'ok') limiter.fail(key);
    }
    // 'a' failed, 'b' failed, 'a' refused (no change), 'c' failed and pushed out the oldest, 'a'.
    expect(['c', 'b', 'a'].map((key) => verdict(() => limiter.check(key)) === 'ok')).toEqual([
      false,
      false,
      true,
    ]);
  });
});
