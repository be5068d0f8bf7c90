// The repository suite, run against in-memory SQLite always and against PostgreSQL when TEST_DATABASE_URL is set.

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.ts';
import {
  createRepositories,
  createSecretBox,
  deriveKey,
  openStore,
  type Repositories,
  runMigrations,
  type Store,
  type TenantInput,
} from '../../server/store/index.ts';
import { migrations } from '../../server/store/migrations.ts';
import { defaultLimits as limits } from '../../server/sync/limits.ts';

/** Every migration the code ships, in the order they run: names are unique and in number order. */
const allMigrations = migrations.map((m) => ({ name: m.name }));

const box = createSecretBox(deriveKey('test-app-secret-that-is-long-enough-0123456789', 'secrets'));

/** A settable clock: tests move time on purpose instead of waiting. */
function clock(start = '2026-03-01T10:00:00.000Z') {
  let t = new Date(start);
  return {
    now: () => t,
    set: (iso: string) => {
      t = new Date(iso);
    },
  };
}

const tenantInput = (over: Partial<TenantInput> = {}): TenantInput => ({
  name: 'Northwind',
  cwSite: 'https://na.myconnectwise.net/',
  cwCompanyId: `co${randomUUID().slice(0, 8)}`,
  cwRegion: 'na',
  cwClientId: 'client-1',
  cwPublicKey: 'pub-1',
  cwPrivateKey: 'priv-1',
  pax8ClientId: 'pax8-client',
  pax8ClientSecret: 'pax8-secret',
  ...over,
});

function repoSuite(open: () => Promise<Store>, cleanup: (store: Store) => Promise<void>) {
  let store: Store;
  const repos = (c = clock()): Repositories => createRepositories(store.db, box, c.now);
  const twoTenants = async (r: Repositories) => ({
    a: (await r.tenants.upsert(tenantInput({ name: 'A' }))).id,
    b: (await r.tenants.upsert(tenantInput({ name: 'B' }))).id,
  });

  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    if (store) await cleanup(store);
  });

  it('migrations are named in number order, each once, starting with 0001_initial', () => {
    const names = allMigrations.map((m) => m.name);
    expect(names[0]).toBe('0001_initial');
    expect(names).toEqual([...new Set(names)].sort());
    for (const n of names) expect(n).toMatch(/^\d{4}_[a-z0-9_]+$/);
  });

  it('re-running the migrations is a no-op and keeps the data', async () => {
    const r = repos();
    const t = await r.tenants.upsert(tenantInput());
    expect(await runMigrations(store.db, store.dialect)).toEqual([]);
    const names = await store.db.selectFrom('migrations').select('name').execute();
    expect(names).toEqual(allMigrations);
    expect((await r.tenants.get(t.id))?.name).toBe('Northwind');
  });

  describe('kept board', () => {
    it("a full recompute's chunks are not seen until finishFull, which drops the companies no longer bound", async () => {
      const r = repos();
      const tenant = (await r.tenants.upsert(tenantInput())).id;
      const row = (id: string) => ({ subscriptionId: id });
      const t1 = '2026-03-01T10:00:00.000Z';
      await r.board.save(tenant, {
        computedAt: t1,
        refreshedAt: t1,
        subscriptions: 3,
        companies: 2,
        replaceAll: true,
        byCompany: [
          { pax8CompanyId: 'p-a', subscriptions: 1, rows: [row('a1')] },
          { pax8CompanyId: 'p-gone', subscriptions: 2, rows: [row('g1'), row('g2')] },
        ],
      });
      const t2 = '2026-03-02T10:00:00.000Z';
      await r.board.saveCompanies(tenant, t2, [
        { pax8CompanyId: 'p-a', subscriptions: 2, rows: [row('a1'), row('a2')] },
      ]);
      await r.board.saveCompanies(tenant, t2, [{ pax8CompanyId: 'p-b', subscriptions: 0, rows: [] }]);
      // Until the end the head is the previous board's: other processes keep serving it.
      expect(await r.board.refreshedAt(tenant)).toBe(t1);
      await r.board.finishFull(tenant, { computedAt: t2, refreshedAt: t2, subscriptions: 2, companies: 2 }, [
        'p-a',
        'p-b',
      ]);
      const kept = await r.board.load(tenant);
      expect(kept).toMatchObject({ computedAt: t2, refreshedAt: t2, subscriptions: 2, companies: 2 });
      expect(kept?.byCompany.sort((x, y) => x.pax8CompanyId.localeCompare(y.pax8CompanyId))).toEqual([
        { pax8CompanyId: 'p-a', subscriptions: 2, rows: [row('a1'), row('a2')] },
        { pax8CompanyId: 'p-b', subscriptions: 0, rows: [] },
      ]);
      // Nothing bound any more: every company goes.
      await r.board.finishFull(
        tenant,
        { computedAt: t2, refreshedAt: t2, subscriptions: 0, companies: 0 },
        [],
      );
      expect((await r.board.load(tenant))?.byCompany).toEqual([]);
    });
  });

  describe('tenants', () => {
    it('finds a tenant by any spelling of its site and company id', async () => {
      const r = repos();
      const id = `Acme${randomUUID().slice(0, 6)}`;
      const t = await r.tenants.upsert(
        tenantInput({ cwCompanyId: id, cwSite: 'HTTPS://NA.MyConnectWise.net:443/v4_6_release' }),
      );
      expect(t.cwSite).toBe('na.myconnectwise.net');
      expect(t.cwCompanyId).toBe(id);
      expect((await r.tenants.findBySite('na.myconnectwise.net', id.toUpperCase()))?.id).toBe(t.id);
      expect((await r.tenants.findBySite('https://na.myconnectwise.net', ` ${id.toLowerCase()} `))?.id).toBe(
        t.id,
      );
      expect(await r.tenants.findBySite('eu.myconnectwise.net', id)).toBeNull();
    });

    it('defaults and merges settings; keeps stored secrets when an update omits them', async () => {
      const c = clock();
      const r = repos(c);
      const t = await r.tenants.upsert(tenantInput());
      expect(t.settings).toEqual({
        threshold: true,
        countChangeDay: false,
        updateOrCreate: 'update',
        lookbackMonths: 3,
        ...limits,
        // Issue 10 upkeep: new lines are Billable and taxable as their catalog item unless Settings say otherwise.
        defaultBillCustomer: 'Billable',
        defaultTaxable: 'catalog',
      });
      c.set('2026-03-02T00:00:00.000Z');
      const {
        cwPrivateKey: _p,
        pax8ClientSecret: _s,
        ...rest
      } = tenantInput({ cwCompanyId: t.cwCompanyId.toUpperCase() });
      const updated = await r.tenants.upsert({ ...rest, name: 'Renamed', settings: { threshold: false } });
      expect(updated.id).toBe(t.id);
      expect(updated.name).toBe('Renamed');
      expect(updated.settings).toEqual({
        threshold: false,
        countChangeDay: false,
        updateOrCreate: 'update',
        lookbackMonths: 3,
        ...limits,
        // Issue 10 upkeep: new lines are Billable and taxable as their catalog item unless Settings say otherwise.
        defaultBillCustomer: 'Billable',
        defaultTaxable: 'catalog',
      });
      expect(updated.createdAt).toBe('2026-03-01T10:00:00.000Z');
      expect(updated.updatedAt).toBe('2026-03-02T00:00:00.000Z');
      expect(await r.tenants.secrets(t.id)).toEqual({
        cwPrivateKey: 'priv-1',
        pax8ClientSecret: 'pax8-secret',
      });
    });

    it('updates settings alone, never the connection fields; removing a tenant removes its rows', async () => {
      const c = clock();
      const r = repos(c);
      const t = await r.tenants.upsert(tenantInput());
      await r.companyBindings.bind(t.id, { cwCompanyId: 7, pax8CompanyId: randomUUID(), createdBy: 'me' });
      c.set('2026-03-03T00:00:00.000Z');
      const updated = await r.tenants.updateSettings(t.id, { updateOrCreate: 'create', ...limits });
      expect(updated).toMatchObject({
        cwClientId: 'client-1',
        cwPublicKey: 'pub-1',
        updatedAt: '2026-03-03T00:00:00.000Z',
        settings: { threshold: true, countChangeDay: false, updateOrCreate: 'create', ...limits },
      });
      expect(await r.tenants.updateSettings(randomUUID(), { threshold: false })).toBeNull();
      expect(await r.tenants.remove(t.id)).toBe(true);
      expect(await r.tenants.get(t.id)).toBeNull();
      expect(await r.companyBindings.list(t.id)).toEqual([]);
      expect(await r.tenants.remove(t.id)).toBe(false);
    });

    it('never puts a secret in the non-secret view', async () => {
      const r = repos();
      const t = await r.tenants.upsert(
        tenantInput({ cwPrivateKey: 'TOP-SECRET-CW', pax8ClientSecret: 'TOP-SECRET-P8' }),
      );
      for (const view of [
        t,
        await r.tenants.get(t.id),
        (await r.tenants.list()).find((x) => x.id === t.id),
      ]) {
        expect(JSON.stringify(view)).not.toMatch(/TOP-SECRET|v1:/);
        expect(Object.keys(view ?? {})).not.toContain('cwPrivateKey');
        expect(Object.keys(view ?? {})).not.toContain('pax8ClientSecret');
      }
      const raw = await store.db
        .selectFrom('tenants')
        .selectAll()
        .where('id', '=', t.id)
        .executeTakeFirstOrThrow();
      expect(raw.cw_private_key).toMatch(/^v1:/);
      expect(raw.cw_private_key).not.toContain('TOP-SECRET');
    });

    it('requires secrets on create and refuses a second tenant for the same site and company', async () => {
      const r = repos();
      const { cwPrivateKey: _p, ...noKey } = tenantInput();
      await expect(r.tenants.upsert(noKey)).rejects.toMatchObject({ code: 'bad_request' });
      const first = await r.tenants.upsert(tenantInput());
      const other = await r.tenants.upsert(tenantInput());
      await expect(
        r.tenants.upsert(tenantInput({ id: other.id, cwCompanyId: first.cwCompanyId })),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
    });

    it('rejects a tampered or moved secret', async () => {
      const r = repos();
      const { a, b } = await twoTenants(r);
      const rowA = await store.db
        .selectFrom('tenants')
        .selectAll()
        .where('id', '=', a)
        .executeTakeFirstOrThrow();
      // A ciphertext copied to another tenant fails: the tenant id and field are bound as additional data.
      await store.db
        .updateTable('tenants')
        .set({ cw_private_key: rowA.cw_private_key })
        .where('id', '=', b)
        .execute();
      await expect(r.tenants.secrets(b)).rejects.toMatchObject({ code: 'internal' });
      const flipped =
        rowA.pax8_client_secret.slice(0, 20) +
        (rowA.pax8_client_secret[20] === 'A' ? 'B' : 'A') +
        rowA.pax8_client_secret.slice(21);
      await store.db
        .updateTable('tenants')
        .set({ pax8_client_secret: flipped })
        .where('id', '=', a)
        .execute();
      const error = await r.tenants.secrets(a).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).not.toContain('pax8-secret');
    });
  });

  describe('company bindings', () => {
    it('binds one-to-one in both directions; re-binding the same pair is harmless', async () => {
      const r = repos();
      const { a } = await twoTenants(r);
      const p1 = randomUUID();
      const p2 = randomUUID();
      const bound = await r.companyBindings.bind(a, { cwCompanyId: 19, pax8CompanyId: p1, createdBy: 'amy' });
      expect(bound).toEqual({
        tenantId: a,
        cwCompanyId: 19,
        pax8CompanyId: p1,
        createdBy: 'amy',
        createdAt: '2026-03-01T10:00:00.000Z',
      });
      expect(
        await r.companyBindings.bind(a, { cwCompanyId: 19, pax8CompanyId: p1, createdBy: 'bob' }),
      ).toEqual(bound);
      await expect(
        r.companyBindings.bind(a, { cwCompanyId: 19, pax8CompanyId: p2, createdBy: 'amy' }),
      ).rejects.toMatchObject({ code: 'conflict' });
      await expect(
        r.companyBindings.bind(a, { cwCompanyId: 20, pax8CompanyId: p1, createdBy: 'amy' }),
      ).rejects.toMatchObject({ code: 'conflict' });
      expect((await r.companyBindings.byPax8(a, p1))?.cwCompanyId).toBe(19);
      expect(await r.companyBindings.unbind(a, 19)).toBe(true);
      expect(await r.companyBindings.unbind(a, 19)).toBe(false);
      expect(
        (await r.companyBindings.bind(a, { cwCompanyId: 20, pax8CompanyId: p1, createdBy: 'amy' }))
          .cwCompanyId,
      ).toBe(20);
      expect((await r.companyBindings.list(a)).map((x) => x.cwCompanyId)).toEqual([20]);
    });
  });

  describe('company creations (Create and Bind journal)', () => {
    it('one row per company and tenant: claimed once, settled, and claimed again only after a refusal', async () => {
      const r = repos();
      const { a, b } = await twoTenants(r);
      const first = await r.companyCreations.claim(a, {
        cwCompanyId: 307,
        request: { name: 'Q' },
        createdBy: 'amy',
      });
      expect(first).toMatchObject({
        cwCompanyId: 307,
        state: 'pending',
        pax8CompanyId: null,
        request: { name: 'Q' },
      });
      await r.companyCreations.settle(a, 307, { state: 'sent' });
      // A second claim (a retry) keeps the row as it is: 'sent' says an attempt may have reached Pax8.
      expect(
        await r.companyCreations.claim(a, { cwCompanyId: 307, request: { name: 'Q2' }, createdBy: 'bob' }),
      ).toMatchObject({ state: 'sent', request: { name: 'Q' }, createdBy: 'amy' });
      await r.companyCreations.settle(a, 307, { state: 'failed', error: 'Pax8 refused it' });
      expect(
        await r.companyCreations.claim(a, { cwCompanyId: 307, request: { name: 'Q3' }, createdBy: 'bob' }),
      ).toMatchObject({ state: 'pending', request: { name: 'Q3' }, createdBy: 'bob', error: null });
      await r.companyCreations.settle(a, 307, { state: 'done', pax8CompanyId: 'p-1' });
      expect(await r.companyCreations.get(a, 307)).toMatchObject({ state: 'done', pax8CompanyId: 'p-1' });
      expect(await r.companyCreations.get(b, 307)).toBeNull();
    });
  });

  describe('product bindings', () => {
    it('keeps one binding per product and billing term, with exact decimal prices', async () => {
      const r = repos();
      const { a } = await twoTenants(r);
      const product = randomUUID();
      await r.productBindings.upsert(a, {
        pax8ProductId: product,
        billingTerm: 'Monthly',
        cwCatalogId: 7,
        cwIdentifier: 'M365-BP',
        price: '22.00',
      });
      await r.productBindings.upsert(a, {
        pax8ProductId: product,
        billingTerm: 'Annual',
        cwCatalogId: 8,
        cwIdentifier: 'M365-BP-A',
      });
      await r.productBindings.upsert(a, {
        pax8ProductId: product,
        billingTerm: 'Monthly',
        cwCatalogId: 7,
        cwIdentifier: 'M365-BP',
        price: '21.995',
        markupPercent: '15',
      });
      expect(await r.productBindings.get(a, product, 'Monthly')).toMatchObject({
        cwCatalogId: 7,
        price: '21.995',
        markupPercent: '15',
      });
      expect(await r.productBindings.get(a, product, 'Annual')).toMatchObject({
        cwCatalogId: 8,
        price: null,
        markupPercent: null,
      });
      expect(await r.productBindings.get(a, product, 'Trial')).toBeNull();
      expect((await r.productBindings.list(a)).map((x) => x.billingTerm)).toEqual(['Annual', 'Monthly']);
      for (const price of ['12.5.0', '1e3', '12,50', '']) {
        await expect(
          r.productBindings.upsert(a, {
            pax8ProductId: product,
            billingTerm: 'Monthly',
            cwCatalogId: 7,
            cwIdentifier: 'x',
            price,
          }),
        ).rejects.toMatchObject({ code: 'bad_request' });
      }
    });
  });

  describe('plans', () => {
    it('returns a plan until it expires, then reports it expired; housekeeping deletes it', async () => {
      const c = clock('2026-03-01T10:00:00.000Z');
      const r = repos(c);
      const { a } = await twoTenants(r);
      const plan = await r.plans.save(a, {
        memberId: 'amy',
        subscriptionId: 's1',
        agreementId: 5,
        body: { lines: [{ qty: 2, price: '20.00' }] },
        ttlMs: 15 * 60_000,
      });
      expect(plan.expiresAt).toBe('2026-03-01T10:15:00.000Z');
      expect(await r.plans.get(a, plan.id)).toEqual({ ok: true, plan });
      c.set('2026-03-01T10:14:59.999Z');
      expect((await r.plans.get(a, plan.id)).ok).toBe(true);
      c.set('2026-03-01T10:15:00.000Z');
      expect(await r.plans.get(a, plan.id)).toEqual({ ok: false, reason: 'expired' });
      expect(await r.plans.deleteExpired()).toBeGreaterThanOrEqual(1);
      expect(await r.plans.get(a, plan.id)).toEqual({ ok: false, reason: 'not_found' });
    });
  });

  describe('sync journal', () => {
    const claim = (key: string, over: Record<string, unknown> = {}) => ({
      planId: 'plan-1',
      idempotencyKey: key,
      subscriptionId: 'sub-1',
      agreementId: 5,
      kind: 'prorate' as const,
      action: 'create' as const,
      request: { quantity: 1, unitPrice: '10.00' },
      changeKey: '2020-09-09:+1',
      ...over,
    });

    it('claims a key once: a second claim returns the same row', async () => {
      const r = repos();
      const { a } = await twoTenants(r);
      const first = await r.journal.claim(a, claim('k1'));
      const second = await r.journal.claim(a, claim('k1', { request: { quantity: 99 } }));
      expect(first.created).toBe(true);
      expect(second).toEqual({ entry: first.entry, created: false });
      expect(second.entry.request).toEqual({ quantity: 1, unitPrice: '10.00' });
      expect(await r.journal.forSubscription(a, 'sub-1')).toHaveLength(1);
    });

    it('concurrent claims of one key give one row and one winner', async () => {
      const r = repos();
      const { a } = await twoTenants(r);
      const results = await Promise.all(Array.from({ length: 8 }, () => r.journal.claim(a, claim('race'))));
      expect(results.filter((x) => x.created)).toHaveLength(1);
      expect(new Set(results.map((x) => x.entry.id)).size).toBe(1);
      expect(await r.journal.forSubscription(a, 'sub-1')).toHaveLength(1);
    });

    it('moves pending → sent → done/failed; synced change keys count done only (a sent one may not have arrived)', async () => {
      const c = clock();
      const r = repos(c);
      const { a } = await twoTenants(r);
      const e1 = (await r.journal.claim(a, claim('k1', { changeKey: '2020-09-09:+1' }))).entry;
      const e2 = (await r.journal.claim(a, claim('k2', { changeKey: '2020-09-15:+2' }))).entry;
      const e3 = (await r.journal.claim(a, claim('k3', { changeKey: '2020-09-20:+3' }))).entry;
      await r.journal.claim(a, claim('k4', { changeKey: '2020-09-25:+4' }));
      await r.journal.claim(a, claim('k5', { changeKey: '2020-09-09:+1', agreementId: 6 }));
      await r.journal.claim(a, claim('k6', { kind: 'recurring', changeKey: null }));
      expect(await r.journal.syncedChangeKeys(a, 'sub-1', 5)).toEqual([]);
      c.set('2026-03-01T10:00:01.000Z');
      expect((await r.journal.markSent(a, e1.id)).state).toBe('sent');
      const done = await r.journal.markDone(a, e1.id, { cwAdditionId: 901, response: { id: 901 } });
      expect(done).toMatchObject({
        state: 'done',
        cwAdditionId: 901,
        response: { id: 901 },
        updatedAt: '2026-03-01T10:00:01.000Z',
      });
      await r.journal.markSent(a, e2.id, { quantity: 2 });
      await r.journal.markSent(a, e3.id);
      expect(await r.journal.markFailed(a, e3.id, { error: 'upstream_rejected' })).toMatchObject({
        state: 'failed',
        response: { error: 'upstream_rejected' },
      });
      expect(await r.journal.syncedChangeKeys(a, 'sub-1', 5)).toEqual(['2020-09-09:+1']);
      expect((await r.journal.get(a, e2.id))?.request).toEqual({ quantity: 2 });
      const grouped = await r.journal.forSubscriptions(a, ['sub-1', 'sub-none']);
      expect([...grouped].map(([sub, list]) => [sub, list.length])).toEqual([
        ['sub-1', 6],
        ['sub-none', 0],
      ]);
      expect((await r.journal.forPlan(a, 'plan-1')).map((x) => x.idempotencyKey)).toEqual([
        'k1',
        'k2',
        'k3',
        'k4',
        'k5',
        'k6',
      ]);
    });

    it('records when a write was sent; unknown keeps it, a reopen clears it (migration 0002)', async () => {
      const c = clock('2026-03-01T10:00:00.000Z');
      const r = repos(c);
      const { a } = await twoTenants(r);
      const { entry } = await r.journal.claim(a, claim('u1'));
      expect(entry).toMatchObject({ state: 'pending', sentAt: null });
      c.set('2026-03-01T10:05:00.000Z');
      expect(await r.journal.markSent(a, entry.id)).toMatchObject({
        state: 'sent',
        sentAt: '2026-03-01T10:05:00.000Z',
      });
      c.set('2026-03-01T10:05:20.000Z');
      expect(await r.journal.markUnknown(a, entry.id, { error: 'timeout' })).toMatchObject({
        state: 'unknown',
        sentAt: '2026-03-01T10:05:00.000Z',
        updatedAt: '2026-03-01T10:05:20.000Z',
        response: { error: 'timeout' },
      });
      expect(await r.journal.syncedChangeKeys(a, 'sub-1', 5)).toEqual([]);
      expect(await r.journal.reopen(a, entry.id, { planId: 'plan-2', request: {} })).toMatchObject({
        state: 'pending',
        sentAt: null,
      });
    });
  });

  describe('locks', () => {
    it('holds until released or expired', async () => {
      const r = repos();
      const { a } = await twoTenants(r);
      const t0 = new Date('2026-03-01T10:00:00.000Z');
      const at = (ms: number) => new Date(t0.getTime() + ms);
      expect(await r.locks.acquire(a, 'sub:1', 'p1', 30_000, t0)).toBe(true);
      expect(await r.locks.acquire(a, 'sub:1', 'p2', 30_000, at(1_000))).toBe(false);
      expect(await r.locks.acquire(a, 'sub:2', 'p2', 30_000, at(1_000))).toBe(true);
      expect(await r.locks.acquire(a, 'sub:1', 'p1', 30_000, at(10_000))).toBe(true); // own lock: extended to +40s
      expect(await r.locks.acquire(a, 'sub:1', 'p2', 30_000, at(35_000))).toBe(false);
      expect(await r.locks.acquire(a, 'sub:1', 'p2', 30_000, at(40_000))).toBe(true); // expired: taken over
      expect(await r.locks.release(a, 'sub:1', 'p1')).toBe(false);
      expect(await r.locks.acquire(a, 'sub:1', 'p1', 30_000, at(41_000))).toBe(false);
      expect(await r.locks.release(a, 'sub:1', 'p2')).toBe(true);
      expect(await r.locks.acquire(a, 'sub:1', 'p1', 30_000, at(41_000))).toBe(true);
    });

    it('gives a contested lock to exactly one of many concurrent callers', async () => {
      const r = repos();
      const { a } = await twoTenants(r);
      const t0 = new Date('2026-03-01T10:00:00.000Z');
      const got = await Promise.all(
        Array.from({ length: 8 }, (_, i) => r.locks.acquire(a, 'hot', `p${i}`, 30_000, t0)),
      );
      expect(got.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('price overrides', () => {
    it('remembers a chosen price per subscription, replaces it, keeps tenants apart and forgets it', async () => {
      const c = clock();
      const r = repos(c);
      const { a, b } = await twoTenants(r);
      await r.priceOverrides.set(a, {
        subscriptionId: 's1',
        unitPrice: '27.50',
        pax8Price: '25.00',
        chosenBy: 'amy',
      });
      c.set('2026-03-02T09:00:00.000Z');
      await r.priceOverrides.set(a, {
        subscriptionId: 's1',
        unitPrice: '29.00',
        pax8Price: '26.00',
        chosenBy: 'bob',
      });
      expect(await r.priceOverrides.get(a, 's1')).toEqual({
        tenantId: a,
        subscriptionId: 's1',
        unitPrice: '29.00',
        pax8Price: '26.00',
        chosenBy: 'bob',
        updatedAt: '2026-03-02T09:00:00.000Z',
      });
      expect(await r.priceOverrides.get(b, 's1')).toBeNull();
      expect(await r.priceOverrides.remove(b, 's1')).toBe(false);
      expect(await r.priceOverrides.remove(a, 's1')).toBe(true);
      expect(await r.priceOverrides.get(a, 's1')).toBeNull();
    });
  });

  describe('ignored subscriptions and audit', () => {
    it('ignores, re-ignores and restores', async () => {
      const c = clock();
      const r = repos(c);
      const { a } = await twoTenants(r);
      await r.ignored.ignore(a, { subscriptionId: 's1', reason: 'internal use', ignoredBy: 'amy' });
      c.set('2026-03-01T11:00:00.000Z');
      await r.ignored.ignore(a, { subscriptionId: 's2', reason: 'trial', ignoredBy: 'amy' });
      await r.ignored.ignore(a, { subscriptionId: 's1', reason: 'billed elsewhere', ignoredBy: 'bob' });
      expect(await r.ignored.list(a)).toEqual([
        {
          tenantId: a,
          subscriptionId: 's1',
          reason: 'billed elsewhere',
          ignoredBy: 'bob',
          ignoredAt: '2026-03-01T11:00:00.000Z',
        },
        {
          tenantId: a,
          subscriptionId: 's2',
          reason: 'trial',
          ignoredBy: 'amy',
          ignoredAt: '2026-03-01T11:00:00.000Z',
        },
      ]);
      expect(await r.ignored.restore(a, 's1')).toBe(true);
      expect(await r.ignored.restore(a, 's1')).toBe(false);
      expect((await r.ignored.list(a)).map((x) => x.subscriptionId)).toEqual(['s2']);
    });

    it('appends audit entries and lists them newest first, by target and limit', async () => {
      const r = repos();
      const { a } = await twoTenants(r);
      await r.audit.append(a, { actor: 'amy', action: 'bind', target: 'company:19', after: { pax8: 'p1' } });
      await r.audit.append(a, {
        actor: 'amy',
        action: 'settings',
        target: 'tenant',
        before: { threshold: true },
        after: { threshold: false },
      });
      await r.audit.append(a, {
        actor: 'bob',
        action: 'unbind',
        target: 'company:19',
        before: { pax8: 'p1' },
      });
      const all = await r.audit.list(a);
      expect(all.map((x) => x.action)).toEqual(['unbind', 'settings', 'bind']);
      expect(all[1]).toMatchObject({
        actor: 'amy',
        before: { threshold: true },
        after: { threshold: false },
        at: '2026-03-01T10:00:00.000Z',
      });
      expect(all[0]?.after).toBeNull();
      expect((await r.audit.list(a, { target: 'company:19' })).map((x) => x.action)).toEqual([
        'unbind',
        'bind',
      ]);
      expect((await r.audit.list(a, { limit: 1 })).map((x) => x.action)).toEqual(['unbind']);
    });
  });

  it('tenant B never sees or changes tenant A rows', async () => {
    const r = repos();
    const { a, b } = await twoTenants(r);
    const pax8 = randomUUID();
    const t0 = new Date('2026-03-01T10:00:00.000Z');
    await r.companyBindings.bind(a, { cwCompanyId: 19, pax8CompanyId: pax8, createdBy: 'amy' });
    await r.productBindings.upsert(a, {
      pax8ProductId: 'prod',
      billingTerm: 'Monthly',
      cwCatalogId: 7,
      cwIdentifier: 'X',
    });
    const plan = await r.plans.save(a, {
      memberId: 'amy',
      subscriptionId: 'sub-1',
      agreementId: 5,
      body: {},
      ttlMs: 60_000,
    });
    const { entry } = await r.journal.claim(a, {
      planId: plan.id,
      idempotencyKey: 'k',
      subscriptionId: 'sub-1',
      agreementId: 5,
      kind: 'prorate',
      action: 'create',
      request: {},
      changeKey: 'c',
    });
    await r.journal.markDone(a, entry.id, { cwAdditionId: 1, response: {} });
    await r.locks.acquire(a, 'sub-1', 'pa', 60_000, t0);
    await r.ignored.ignore(a, { subscriptionId: 'sub-1', reason: 'x', ignoredBy: 'amy' });
    await r.audit.append(a, { actor: 'amy', action: 'bind', target: 'company:19' });

    expect(await r.companyBindings.list(b)).toEqual([]);
    expect(await r.companyBindings.byCw(b, 19)).toBeNull();
    expect(await r.companyBindings.byPax8(b, pax8)).toBeNull();
    expect(await r.companyBindings.unbind(b, 19)).toBe(false);
    expect(await r.productBindings.list(b)).toEqual([]);
    expect(await r.productBindings.get(b, 'prod', 'Monthly')).toBeNull();
    expect(await r.plans.get(b, plan.id)).toEqual({ ok: false, reason: 'not_found' });
    expect(await r.plans.remove(b, plan.id)).toBe(false);
    expect(await r.journal.forSubscription(b, 'sub-1')).toEqual([]);
    expect(await r.journal.forPlan(b, plan.id)).toEqual([]);
    expect(await r.journal.forSubscriptions(b, ['sub-1'])).toEqual(new Map([['sub-1', []]]));
    expect(await r.journal.get(b, entry.id)).toBeNull();
    expect(await r.journal.syncedChangeKeys(b, 'sub-1', 5)).toEqual([]);
    await expect(r.journal.markFailed(b, entry.id, {})).rejects.toMatchObject({ code: 'not_found' });
    expect(await r.locks.release(b, 'sub-1', 'pa')).toBe(false);
    expect(await r.ignored.list(b)).toEqual([]);
    expect(await r.ignored.restore(b, 'sub-1')).toBe(false);
    expect(await r.audit.list(b)).toEqual([]);
    // Same keys in B are B's own: they neither collide with nor disturb A's rows.
    expect(
      (
        await r.journal.claim(b, {
          planId: 'p',
          idempotencyKey: 'k',
          subscriptionId: 'sub-1',
          agreementId: 5,
          kind: 'prorate',
          action: 'create',
          request: {},
        })
      ).created,
    ).toBe(true);
    expect(await r.locks.acquire(b, 'sub-1', 'pb', 60_000, t0)).toBe(true);
    expect(
      await r.companyBindings.bind(b, { cwCompanyId: 19, pax8CompanyId: pax8, createdBy: 'bo' }),
    ).toMatchObject({ tenantId: b });
    expect((await r.journal.get(a, entry.id))?.state).toBe('done');
    expect(await r.locks.acquire(a, 'sub-1', 'pa', 60_000, t0)).toBe(true);
    expect((await r.companyBindings.byCw(a, 19))?.createdBy).toBe('amy');
  });
}

describe('store on SQLite (in memory)', () => {
  repoSuite(
    () => openStore({ sqlitePath: ':memory:' }),
    (store) => store.close(),
  );
});

const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  const schema = `store_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  describe('store on PostgreSQL', () => {
    repoSuite(
      () => openStore({ postgresUrl: pgUrl, pgSchema: schema }),
      async (store) => {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
        await store.close();
      },
    );

    it('lets one of two processes (two pools) take a lock, and migrates a second time as a no-op', async () => {
      const one = await openStore({ postgresUrl: pgUrl, pgSchema: schema });
      const two = await openStore({ postgresUrl: pgUrl, pgSchema: schema });
      try {
        expect(await runMigrations(two.db, 'postgres')).toEqual([]);
        const r1 = createRepositories(one.db, box);
        const r2 = createRepositories(two.db, box);
        const tenant = (await r1.tenants.upsert(tenantInput())).id;
        const t0 = new Date('2026-03-01T10:00:00.000Z');
        const got = await Promise.all([
          ...Array.from({ length: 4 }, (_, i) => r1.locks.acquire(tenant, 'x', `one-${i}`, 30_000, t0)),
          ...Array.from({ length: 4 }, (_, i) => r2.locks.acquire(tenant, 'x', `two-${i}`, 30_000, t0)),
        ]);
        expect(got.filter(Boolean)).toHaveLength(1);
        const claims = await Promise.all(
          [r1, r2, r1, r2].map((r) =>
            r.journal.claim(tenant, {
              planId: 'p',
              idempotencyKey: 'both',
              subscriptionId: 's',
              agreementId: 1,
              kind: 'recurring',
              action: 'create',
              request: {},
            }),
          ),
        );
        expect(claims.filter((c) => c.created)).toHaveLength(1);
        expect(await r2.tenants.secrets(tenant)).toEqual({
          cwPrivateKey: 'priv-1',
          pax8ClientSecret: 'pax8-secret',
        });
      } finally {
        await one.close();
        await two.close();
      }
    });

    it('migrates a fresh schema once when two processes start at the same time', async () => {
      const fresh = `${schema}_fresh`;
      const stores = await Promise.all(
        [1, 2, 3].map(() => openStore({ postgresUrl: pgUrl, pgSchema: fresh })),
      );
      try {
        const rows = await stores[0]!.db.selectFrom('migrations').select('name').execute();
        expect(rows).toEqual(allMigrations);
      } finally {
        await sql`drop schema if exists ${sql.id(fresh)} cascade`.execute(stores[0]!.db);
        for (const s of stores) await s.close();
      }
    });
  });
} else if (process.env.CI === 'true') {
  describe('store on PostgreSQL', () => {
    it('needs a database', () => {
      throw new Error('TEST_DATABASE_URL is required in CI (e.g. postgres://postgres@127.0.0.1:5432/test)');
    });
  });
} else {
  console.warn(
    'store on PostgreSQL: skipped (set TEST_DATABASE_URL=postgres://… to run the suite against PostgreSQL)',
  );
  describe.skip('store on PostgreSQL (set TEST_DATABASE_URL)', () => {
    it('runs the repository suite', () => {});
  });
}
