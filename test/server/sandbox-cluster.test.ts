// Cluster safety of sandbox mode: a sandbox process resets only the sandbox tenant its own instance created.
// Two sandbox runtimes on one store: the second leaves the first's tenant (and its rows) alone; a restart
// still starts its own tenant fresh; a tenant another instance owns at the same origin refuses the start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../server/env.ts';
import { silentLogger } from '../../server/log.ts';
import { createRuntime, listen } from '../../server/runtime.ts';
import { sandboxTenantsToReset } from '../../server/sandbox-instance.ts';
import type { Tenant } from '../../server/store/index.ts';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pod-sandbox-cluster-'));
  dirs.push(dir);
  return dir;
};

async function start(dir: string) {
  const env = readEnv({ SANDBOX: '1', DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const runtime = await createRuntime(env, { logger: silentLogger });
  const server = await listen(runtime, '127.0.0.1', 0);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  closers.push(close);
  return { runtime, server, close };
}

describe('two sandbox processes on one store', () => {
  it('the second does not delete the first one’s tenant, bindings or rows', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const [a] = await first.runtime.ctx.repos.tenants.list();
    await first.runtime.ctx.repos.ignored.ignore(a!.id, {
      subscriptionId: 'sub-1',
      reason: 'test',
      ignoredBy: 'me',
    });
    const boundA = (await first.runtime.ctx.repos.companyBindings.list(a!.id)).length;
    expect(boundA).toBeGreaterThan(0);

    const second = await start(dir);
    const tenants = await second.runtime.ctx.repos.tenants.list();
    expect(tenants.map((t) => t.cwSite).sort()).toEqual(
      [new URL(first.server.url).host, new URL(second.server.url).host].sort(),
    );
    const b = tenants.find((t) => t.id !== a!.id)!;
    expect(b.sandboxOwner).not.toBe(a!.sandboxOwner);
    expect((await second.runtime.ctx.repos.ignored.list(a!.id)).map((r) => r.subscriptionId)).toEqual([
      'sub-1',
    ]);
    expect(await second.runtime.ctx.repos.companyBindings.list(a!.id)).toHaveLength(boundA);
    // The first process still serves its tenant.
    const config = await fetch(`${first.server.url}/api/pod-config?t=${a!.tenantKey}`);
    expect((await config.json()).hostOrigins).toEqual([first.server.url]);
  });

  it('a restart on the same data directory still resets its own tenant (the instance id is kept)', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const [a] = await first.runtime.ctx.repos.tenants.list();
    await first.close();
    const again = await start(dir);
    const tenants = await again.runtime.ctx.repos.tenants.list();
    expect(tenants).toHaveLength(1);
    expect(tenants[0]!.id).not.toBe(a!.id);
    expect(tenants[0]!.sandboxOwner).toBe(a!.sandboxOwner);
  });

  it('refuses to start where another instance owns the sandbox tenant of its origin, and keeps that row', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const [a] = await first.runtime.ctx.repos.tenants.list();
    await first.runtime.store.db
      .updateTable('tenants')
      .set({ sandbox_owner: 'instance-of-another-machine' })
      .where('id', '=', a!.id)
      .execute();
    await expect(first.runtime.seedSandboxTenant(first.server.url)).rejects.toThrow(
      `Another sandbox process owns the sandbox tenant of ${new URL(first.server.url).host} in this database`,
    );
    expect((await first.runtime.ctx.repos.tenants.get(a!.id))?.sandboxOwner).toBe(
      'instance-of-another-machine',
    );
  });
});

describe('sandboxTenantsToReset', () => {
  const t = (id: string, cwSite: string, cwRegion: Tenant['cwRegion'], sandboxOwner: string | null) =>
    ({ id, cwSite, cwCompanyId: 'DemoCW', cwRegion, sandboxOwner }) as Tenant;
  const rows = [
    t('mine-here', '127.0.0.1:8787', 'sandbox', 'me'),
    t('mine-old-port', '127.0.0.1:9999', 'sandbox', 'me'),
    t('other-process', '127.0.0.1:8788', 'sandbox', 'other'),
    t('earlier-version-elsewhere', '127.0.0.1:7000', 'sandbox', null),
    t('live', 'na.myconnectwise.net', 'na', null),
  ];
  it.each([
    ['my origin, mine', rows, ['mine-here', 'mine-old-port']],
    [
      'my origin held by an earlier version (no owner)',
      [t('legacy-here', '127.0.0.1:8787', 'sandbox', null), ...rows.slice(1)],
      ['legacy-here', 'mine-old-port'],
    ],
  ] as const)('%s', (_name, tenants, ids) => {
    expect(sandboxTenantsToReset(tenants, 'me', '127.0.0.1:8787', 'democw').map((x) => x.id)).toEqual(ids);
  });
});
