// Issue 13: the SQLite connection Kysely gets keeps prepared statements by SQL (bounded), instead of
// preparing every query again; answers stay those of the database, after writes and schema changes too.
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { reusingStatements, STATEMENT_CACHE_MAX } from '../../server/store/open.ts';

describe('reusingStatements', () => {
  it('prepares each SQL text once, and keeps at most STATEMENT_CACHE_MAX', () => {
    const database = new SqliteDatabase(':memory:');
    let prepared = 0;
    const prepare = database.prepare.bind(database);
    database.prepare = ((text: string) => {
      prepared++;
      return prepare(text);
    }) as typeof database.prepare;
    const conn = reusingStatements(database);
    const a = conn.prepare('select 1 as one');
    expect(conn.prepare('select 1 as one')).toBe(a);
    expect(prepared).toBe(1);
    for (let i = 0; i < STATEMENT_CACHE_MAX; i++) conn.prepare(`select ${i + 2} as n`);
    expect(prepared).toBe(STATEMENT_CACHE_MAX + 1);
    expect(conn.prepare('select 1 as one')).not.toBe(a); // the oldest went first
    conn.close();
  });

  it('through Kysely: reads see writes, and a kept select sees a column added later', async () => {
    const db = new Kysely<{ t: { id: string; n?: number } }>({
      dialect: new SqliteDialect({ database: reusingStatements(new SqliteDatabase(':memory:')) }),
    });
    await db.schema.createTable('t').addColumn('id', 'text').execute();
    const read = () => db.selectFrom('t').selectAll().orderBy('id').execute();
    expect(await read()).toEqual([]);
    await db.insertInto('t').values({ id: 'a' }).execute();
    await db.insertInto('t').values({ id: 'b' }).execute();
    expect(await read()).toEqual([{ id: 'a' }, { id: 'b' }]);
    await sql`alter table t add column n integer default 7`.execute(db);
    expect(await read()).toEqual([
      { id: 'a', n: 7 },
      { id: 'b', n: 7 },
    ]);
    await db.destroy();
  });
});
