// Sign-in and setup attempts as rows, so every process on the store (cluster mode) counts the same ones.
// An attempt is inserted when it starts, then judged against the live attempts inserted before it (its
// `seq`): of many parallel attempts exactly the first `max` pass, in one process or several. On
// PostgreSQL the insert and the count run under a per-key advisory lock, so a sequence number taken but
// not yet committed by another process cannot be missed.
import { sql } from 'kysely';
import type { Database, Dialect } from './schema.ts';

export type AttemptOutcome = 'ok' | 'fail' | 'release';

export type Attempts = ReturnType<typeof createAttempts>;

export function createAttempts(db: Database, dialect: Dialect) {
  /**
   * Inserts a running attempt at `at` and returns its seq with the start/failure times of the live
   * attempts before it (newer than `since`), oldest first.
   */
  async function start(key: string, at: Date, since: Date): Promise<{ seq: number; before: Date[] }> {
    const run = async (trx: Database) => {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
      const row = await trx
        .insertInto('attempts')
        .values({ key, state: 'running', at: at.toISOString() })
        .returning('seq')
        .executeTakeFirstOrThrow();
      const seq = Number(row.seq);
      const rows = await trx
        .selectFrom('attempts')
        .select('at')
        .where('key', '=', key)
        .where('seq', '<', seq)
        .where('at', '>', since.toISOString())
        .orderBy('at')
        .execute();
      return { seq, before: rows.map((r) => new Date(r.at)) };
    };
    return dialect === 'postgres' ? db.transaction().execute(run) : run(db);
  }

  /** Ends an attempt: 'ok' clears its key, 'fail' keeps it as a failure at `at`, 'release' forgets it. */
  async function end(key: string, seq: number, outcome: AttemptOutcome, at: Date): Promise<void> {
    if (outcome === 'ok') await db.deleteFrom('attempts').where('key', '=', key).execute();
    else if (outcome === 'release') await db.deleteFrom('attempts').where('seq', '=', seq).execute();
    else
      await db
        .updateTable('attempts')
        .set({ state: 'failed', at: at.toISOString() })
        .where('seq', '=', seq)
        .execute();
  }

  /** Drops every attempt that left the window (any key). */
  async function prune(since: Date): Promise<void> {
    await db.deleteFrom('attempts').where('at', '<=', since.toISOString()).execute();
  }

  return { start, end, prune };
}
