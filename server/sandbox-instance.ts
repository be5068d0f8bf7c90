// Cluster safety of sandbox mode: a sandbox process resets (deletes and re-creates) only the sandbox tenant it
// created itself, never another process's rows in a shared database. Each sandbox tenant row carries the id
// of the instance that created it. The id belongs to the data directory (kept in DATA_DIR, so a restart
// resets what the previous run left), and to one running process at a time (a lock file with its pid): a
// second process on the same DATA_DIR while the first runs gets an id of its own for its lifetime.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Tenant } from './store/index.ts';

export type SandboxInstance = { id: string; release(): Promise<void> };

/** Data directories claimed by a runtime of this process (two runtimes in one process: tests). */
const claimedHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function claimSandboxInstance(dataDir: string): Promise<SandboxInstance> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const idFile = join(dir, 'sandbox-instance.id');
  const lockFile = join(dir, 'sandbox-instance.lock');
  const holder = Number(await readText(lockFile));
  const held = claimedHere.has(dir) || (holder > 0 && holder !== process.pid && alive(holder));
  if (held) return { id: randomUUID(), release: async () => {} };

  let id = await readText(idFile);
  if (!id) {
    id = randomUUID();
    await writeFile(idFile, `${id}\n`, { mode: 0o600 });
  }
  await writeFile(lockFile, `${process.pid}\n`, { mode: 0o600 });
  claimedHere.add(dir);
  return {
    id,
    release: async () => {
      claimedHere.delete(dir);
      await rm(lockFile, { force: true });
    },
  };
}

/**
 * Which sandbox tenants a process about to seed `site` / `companyId` resets: the ones its instance created,
 * and a tenant of an earlier version (no owner) at its own origin. Throws when another live instance's tenant
 * holds that origin, rather than take it over.
 */
export function sandboxTenantsToReset(
  tenants: readonly Tenant[],
  instanceId: string,
  site: string,
  companyId: string,
): Tenant[] {
  const here = tenants.find(
    (t) => t.cwSite === site && t.cwCompanyId.toLowerCase() === companyId.toLowerCase(),
  );
  if (here?.sandboxOwner && here.sandboxOwner !== instanceId) {
    throw new Error(
      `Another sandbox process owns the sandbox tenant of ${site} in this database: ` +
        'start this one on another PORT or HOST, or with its own DATABASE_URL.',
    );
  }
  return tenants.filter(
    (t) =>
      t.cwRegion === 'sandbox' && (t.sandboxOwner === instanceId || (t.id === here?.id && !t.sandboxOwner)),
  );
}
