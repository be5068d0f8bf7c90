// Issue 13: the per-request read of a tenant and its opened secrets (withSecrets) is kept per process for
// TENANT_CACHE_TTL_MS, and dropped at once when this process changes or removes the tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  deriveKey,
  openStore,
  type Store,
  type TenantInput,
} from '../../server/store/index.ts';
import { createTenants, sealContext, TENANT_CACHE_TTL_MS } from '../../server/store/tenants.ts';

const box = createSecretBox(deriveKey('test-app-secret-that-is-long-enough-0123456789', 'secrets'));
const now = () => new Date('2026-03-01T10:00:00.000Z');
const input = (over: Partial<TenantInput> = {}): TenantInput => ({
  name: 'Northwind',
  cwSite: 'https://na.myconnectwise.net/',
  cwCompanyId: 'co1',
  cwRegion: 'na',
  cwClientId: 'client-1',
  cwPublicKey: 'pub-1',
  cwPrivateKey: 'priv-1',
  pax8ClientId: 'pax8-client',
  pax8ClientSecret: 'pax8-secret',
  ...over,
});

let store: Store;
beforeAll(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
});
afterAll(() => store.close());

function setup() {
  let ms = 0;
  const tenants = createTenants(store.db, box, now, () => ms);
  // Another repositories object of this process, over the same database handle.
  const sibling = createTenants(store.db, box, now, () => ms);
  // Another process: writes the row itself, unseen by this process's cache.
  const otherProcess = (id: string, name: string, cwPrivateKey: string) =>
    store.db
      .updateTable('tenants')
      .set({ name, cw_private_key: box.seal(cwPrivateKey, sealContext(id, 'cwPrivateKey')) })
      .where('id', '=', id)
      .execute();
  return { tenants, sibling, otherProcess, advance: (by: number) => (ms += by) };
}

describe('tenant cache', () => {
  it('serves the tenant and its secrets from memory within the TTL, then reads them again', async () => {
    const { tenants, otherProcess, advance } = setup();
    const t = await tenants.upsert(input({ cwCompanyId: 'ttl' }));
    expect((await tenants.withSecrets(t.id))?.secrets.cwPrivateKey).toBe('priv-1');
    await otherProcess(t.id, 'Renamed', 'priv-2');
    advance(TENANT_CACHE_TTL_MS - 1);
    const stale = await tenants.withSecrets(t.id);
    expect([stale?.tenant.name, stale?.secrets.cwPrivateKey]).toEqual(['Northwind', 'priv-1']);
    advance(1);
    const fresh = await tenants.withSecrets(t.id);
    expect([fresh?.tenant.name, fresh?.secrets.cwPrivateKey]).toEqual(['Renamed', 'priv-2']);
  });

  it('a change made by this process shows at once: upsert, settings, removal', async () => {
    const { tenants } = setup();
    const t = await tenants.upsert(input({ cwCompanyId: 'now' }));
    await tenants.withSecrets(t.id);
    await tenants.upsert(input({ id: t.id, cwCompanyId: 'now', pax8ClientSecret: 'rotated' }));
    expect((await tenants.withSecrets(t.id))?.secrets.pax8ClientSecret).toBe('rotated');
    await tenants.updateSettings(t.id, { lookbackMonths: 6 });
    expect((await tenants.withSecrets(t.id))?.tenant.settings.lookbackMonths).toBe(6);
    expect(await tenants.remove(t.id)).toBe(true);
    expect(await tenants.withSecrets(t.id)).toBeNull();
  });

  it('a change through another repositories object of this process shows at once', async () => {
    const { tenants, sibling } = setup();
    const t = await tenants.upsert(input({ cwCompanyId: 'sibling' }));
    await tenants.withSecrets(t.id);
    await sibling.upsert(input({ id: t.id, cwCompanyId: 'sibling', cwPrivateKey: 'priv-3' }));
    expect((await tenants.withSecrets(t.id))?.secrets.cwPrivateKey).toBe('priv-3');
  });

  it('each caller gets its own copy', async () => {
    const { tenants } = setup();
    const t = await tenants.upsert(input({ cwCompanyId: 'copy' }));
    const a = await tenants.withSecrets(t.id);
    a!.tenant.settings.threshold = false;
    a!.tenant.name = 'changed by a caller';
    const b = await tenants.withSecrets(t.id);
    expect([b?.tenant.name, b?.tenant.settings.threshold]).toEqual(['Northwind', true]);
  });

  it('an unknown tenant is null', async () => {
    const { tenants } = setup();
    expect(await tenants.withSecrets('no-such-tenant')).toBeNull();
  });
});
