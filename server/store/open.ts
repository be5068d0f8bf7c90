// Opens the store: SQLite (a WAL file under the data dir, or ':memory:') or PostgreSQL when a URL is given.
// The only module that imports the database drivers; migrations run before the store is handed out.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { MIGRATION_LOCK_ID, runMigrations } from './migrations.ts';
import type { Database, Dialect, Schema } from './schema.ts';

export type Store = {
  db: Database;
  dialect: Dialect;
  close(): Promise<void>;
  /** PostgreSQL only: where the store is, for the job queue (pg-boss keeps its tables beside ours). */
  postgres?: { url: string; schema: string };
};

export type OpenStoreOptions = {
  /** A file path (its directory is created) or ':memory:'. Used when postgresUrl is not given. */
  sqlitePath?: string;
  postgresUrl?: string;
  /** PostgreSQL schema to create and use (search_path); default 'public'. */
  pgSchema?: string;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const store = opts.postgresUrl ? await openPostgres(opts.postgresUrl, opts.pgSchema) : openSqlite(opts);
  try {
    await runMigrations(store.db, store.dialect);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(opts: OpenStoreOptions): Store {
  const path = opts.sqlitePath ?? ':memory:';
  if (path !== ':memory:') createPrivateFile(path);
  const database = new SqliteDatabase(path);
  if (path !== ':memory:') {
    database.pragma('journal_mode = WAL');
    // SQLite gives -wal and -shm the main file's mode; tighten any left from an older, looser start too.
    for (const extra of [`${path}-wal`, `${path}-shm`]) if (existsSync(extra)) chmodSync(extra, 0o600);
  }
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: reusingStatements(database) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Prepared statements kept per SQLite connection (least recently used first out). */
export const STATEMENT_CACHE_MAX = 256;

/**
 * Kysely's SQLite driver prepares every query again (better-sqlite3 `prepare`, a parse and plan each time,
 * the tenant read included). Our queries are few and their SQL text repeats (values are parameters), so the
 * connection Kysely gets keeps each statement by its SQL. Safe: better-sqlite3 runs a statement to completion
 * synchronously (`all`/`run`; nothing here streams), and SQLite re-plans a kept statement after a schema change.
 */
export function reusingStatements(database: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteDatabase.Statement {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > STATEMENT_CACHE_MAX) statements.delete(statements.keys().next().value as string);
      return statement;
    },
  };
}

/** Tenant secrets are sealed, but the rest (bindings, audit) is nobody else's: directory 0700, file 0600. */
export function createPrivateFile(path: string): void {
  const dir = dirname(path);
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

async function openPostgres(url: string, schema = 'public'): Promise<Store> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (conn) => {
        await conn.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
      },
    }),
  });
  try {
    // Under the migration lock: concurrent CREATE SCHEMA IF NOT EXISTS can still collide in PostgreSQL.
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(trx);
      await trx.schema.createSchema(schema).ifNotExists().execute();
    });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, dialect: 'postgres', close: () => db.destroy(), postgres: { url, schema } };
}
