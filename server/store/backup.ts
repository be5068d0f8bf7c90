// An online backup of the SQLite store: SQLite's backup API copies a consistent snapshot (WAL commits
// included) while the server keeps reading and writing, which a file copy of pod.sqlite does not.
import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { createPrivateFile } from './open.ts';

/** Copies the SQLite file at `source` to `target` (created 0600; an existing file is refused). */
export async function backupSqlite(source: string, target: string): Promise<{ pages: number }> {
  if (!existsSync(source)) throw new Error(`No SQLite store at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists: choose a new file for the backup`);
  createPrivateFile(target);
  const database = new SqliteDatabase(source, { fileMustExist: true });
  try {
    const { totalPages } = await database.backup(target);
    return { pages: totalPages };
  } finally {
    database.close();
  }
}
