// The attempt counts are shared by every process on the store: two stores opened on one database (two
// processes, as in cluster mode) and 12 attempts at once split between them — exactly 10 pass, and the
// next one on either is refused. SQLite (a file opened twice) always; PostgreSQL when TEST_DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../server/errors.ts';
import { type AttemptLimiter, createAttemptLimiter } from '../../server/http/rate-limit.ts';
import { createAttempts } from '../../server/store/attempts.ts';
import { openStore, type Store } from '../../server/store/index.ts';

const now = () => new Date('2026-11-25T12:00:00Z');
const limiterOf = (store: Store): AttemptLimiter =>
  createAttemptLimiter({ attempts: createAttempts(store.db, store.dialect), now });

async function twelveAtOnce(one: Store, two: Store) {
  const limiters = [limiterOf(one), limiterOf(two)];
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      limiters[i % 2]!.begin([{ kind: 'subject', key: 'session:site|co|member|203.0.113.5' }]).then(
        async (attempt) => {
          await attempt.end(() => 'fail');
          return 'ok';
        },
        (error: unknown) => (isAppError(error) ? error.code : 'error'),
      ),
    ),
  );
  const next = await Promise.all(
    limiters.map((l) =>
      l.begin([{ kind: 'subject', key: 'session:site|co|member|203.0.113.5' }]).then(
        () => 'ok',
        (error: unknown) => (isAppError(error) ? error.code : 'error'),
      ),
    ),
  );
  return {
    passed: results.filter((r) => r === 'ok').length,
    refused: results.filter((r) => r === 'rate_limited').length,
    next,
  };
}

describe('attempt counts across two stores on one database', () => {
  it('SQLite file: of 12 parallel attempts 10 pass, then both refuse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-attempts-'));
    const one = await openStore({ sqlitePath: join(dir, 'pod.sqlite') });
    const two = await openStore({ sqlitePath: join(dir, 'pod.sqlite') });
    try {
      expect(await twelveAtOnce(one, two)).toEqual({
        passed: 10,
        refused: 2,
        next: ['rate_limited', 'rate_limited'],
      });
    } finally {
      await one.close();
      await two.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const pgUrl = process.env.TEST_DATABASE_URL;
  it.skipIf(!pgUrl)('PostgreSQL: of 12 parallel attempts 10 pass, then both refuse', async () => {
    const schema = `attempts_${randomUUID().slice(0, 8)}`;
    const one = await openStore({ postgresUrl: pgUrl!, pgSchema: schema });
    const two = await openStore({ postgresUrl: pgUrl!, pgSchema: schema });
    try {
      expect(await twelveAtOnce(one, two)).toEqual({
        passed: 10,
        refused: 2,
        next: ['rate_limited', 'rate_limited'],
      });
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(one.db);
      await one.close();
      await two.close();
    }
  });
});
