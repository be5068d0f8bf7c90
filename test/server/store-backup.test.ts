// The online SQLite backup: taken while the store is open and has just written (WAL not checkpointed), the
// copy holds every committed row, is private (0600), and never overwrites an existing file.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupSqlite } from '../../server/store/backup.ts';
import { createRepositories, createSecretBox, openStore } from '../../server/store/index.ts';

const now = () => new Date('2026-11-25T12:00:00Z');
const box = createSecretBox(new Uint8Array(32).fill(2));

async function addTenant(repos: ReturnType<typeof createRepositories>, site: string) {
  return repos.tenants.upsert({
    name: site,
    cwSite: site,
    cwCompanyId: 'acme',
    cwRegion: 'na',
    cwApiBaseUrl: null,
    cwClientId: '00000000-0000-4000-8000-000000000001',
    cwPublicKey: 'pub',
    cwPrivateKey: 'priv',
    pax8ClientId: 'p8',
    pax8ClientSecret: 'p8secret',
    pax8ApiBaseUrl: null,
  });
}

describe('backupSqlite', () => {
  it('copies every committed row of a running store into a private file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-backup-'));
    const source = join(dir, 'pod.sqlite');
    const store = await openStore({ sqlitePath: source });
    try {
      const repos = createRepositories(store.db, box, now);
      await addTenant(repos, 'a.example.com');
      await addTenant(repos, 'b.example.com');
      const target = join(dir, 'copy.sqlite');
      const { pages } = await backupSqlite(source, target);
      expect(pages).toBeGreaterThan(0);
      expect(statSync(target).mode & 0o777).toBe(0o600);
      const copy = await openStore({ sqlitePath: target });
      try {
        const sites = (await createRepositories(copy.db, box, now).tenants.list())
          .map((t) => t.cwSite)
          .sort();
        expect(sites).toEqual(['a.example.com', 'b.example.com']);
      } finally {
        await copy.close();
      }
    } finally {
      await store.close();
    }
  });

  it('refuses to overwrite a file or to read a store that is not there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-backup-'));
    const existing = join(dir, 'there.sqlite');
    writeFileSync(existing, 'x');
    await expect(backupSqlite(join(dir, 'missing.sqlite'), join(dir, 'new.sqlite'))).rejects.toThrow(
      'No SQLite',
    );
    const source = join(dir, 'pod.sqlite');
    const store = await openStore({ sqlitePath: source });
    await store.close();
    await expect(backupSqlite(source, existing)).rejects.toThrow('exists');
  });
});
