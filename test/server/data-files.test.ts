// Data files are private to the server's user: DATA_DIR 0700 when we create it, the SQLite file and its
// -wal/-shm 0600, the sandbox development key 0600, whatever the process umask (issue 12: they were 0644).
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateDevKey, openStore } from '../../server/store/index.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('data file modes', () => {
  let previous: number;
  beforeEach(() => {
    previous = process.umask(0o022); // the common default that made the files world-readable
  });
  afterEach(() => {
    process.umask(previous);
  });

  it('creates DATA_DIR 0700 and pod.sqlite, -wal and -shm 0600', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'pod-modes-')), 'data');
    const file = join(dataDir, 'pod.sqlite');
    const store = await openStore({ sqlitePath: file });
    try {
      await store.db.selectFrom('tenants').select('id').execute();
      expect({
        dir: modeOf(dataDir),
        db: modeOf(file),
        wal: modeOf(`${file}-wal`),
        shm: modeOf(`${file}-shm`),
      }).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
    } finally {
      await store.close();
    }
  });

  it('tightens a world-readable pod.sqlite left by an older start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pod-modes-'));
    const file = join(dataDir, 'pod.sqlite');
    writeFileSync(file, '', { mode: 0o644 });
    expect(modeOf(file)).toBe(0o644);
    const store = await openStore({ sqlitePath: file });
    await store.close();
    expect(modeOf(file)).toBe(0o600);
  });

  it('creates the sandbox development key 0600 in a DATA_DIR it makes 0700', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'pod-modes-')), 'fresh');
    await loadOrCreateDevKey(dataDir);
    expect([modeOf(dataDir), modeOf(join(dataDir, 'dev-secret.key'))]).toEqual([0o700, 0o600]);
  });
});
