// Per-tenant framing: each tenant has a public, unguessable key (backfilled by migration 0004 for tenants
// that existed before it); the pod and app pages answer that tenant's origins alone in frame-ancestors.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { silentLogger } from '../../server/log.ts';
import { apiContext, createApi } from '../../server/routes/api.ts';
import { frameAncestorsFor } from '../../server/routes/pod-config.ts';
import { createSessionSigner } from '../../server/session/jwt.ts';
import {
  createRepositories,
  createSecretBox,
  type Dialect,
  deriveKey,
  openStore,
  runMigrations,
  type Store,
  type TenantInput,
} from '../../server/store/index.ts';
import { migrations } from '../../server/store/migrations.ts';

const box = createSecretBox(deriveKey('test-app-secret-that-is-long-enough-0123456789', 'secrets'));
const now = () => new Date('2026-11-25T12:00:00Z');
const input = (cwSite: string, cwCompanyId: string, cwRegion: TenantInput['cwRegion']): TenantInput => ({
  name: cwCompanyId,
  cwSite,
  cwCompanyId,
  cwRegion,
  cwClientId: 'client',
  cwPublicKey: 'pub',
  cwPrivateKey: 'priv',
  pax8ClientId: 'p',
  pax8ClientSecret: 's',
});

describe('tenant key', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
  });
  afterEach(() => store.close());

  it('is 32 base64url characters (192 bits), distinct per tenant, kept on update, found by findByKey', async () => {
    const repos = createRepositories(store.db, box, now);
    const a = await repos.tenants.upsert(input('na.myconnectwise.net', 'acme', 'na'));
    const b = await repos.tenants.upsert(input('eu.myconnectwise.net', 'beta', 'eu'));
    expect(a.tenantKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(b.tenantKey).not.toBe(a.tenantKey);
    const updated = await repos.tenants.upsert({ ...input('na.myconnectwise.net', 'ACME', 'na'), name: 'x' });
    expect([updated.id, updated.tenantKey]).toEqual([a.id, a.tenantKey]);
    expect((await repos.tenants.findByKey(a.tenantKey))?.id).toBe(a.id);
    expect(await repos.tenants.findByKey(a.tenantKey.toLowerCase())).toBeNull();
    expect(await repos.tenants.findByKey("' or 1=1 --")).toBeNull();
  });
});

/** A store as the version before the key left it (migrations up to 0003 applied), with two tenants in it. */
async function backfillCase(db: Kysely<never>, dialect: Dialect): Promise<void> {
  await sql`create table migrations (name text primary key, applied_at text not null)`.execute(db);
  for (const m of migrations.filter((m) => m.name < '0004')) {
    await m.up(db, dialect);
    await sql`insert into migrations values (${m.name}, '2026-01-01T00:00:00Z')`.execute(db);
  }
  for (const id of ['t1', 't2']) {
    await sql`insert into tenants (id, name, cw_site, cw_company_id, cw_company_key, cw_region, cw_client_id,
      cw_public_key, cw_private_key, pax8_client_id, pax8_client_secret, settings, created_at, updated_at)
      values (${id}, ${id}, 'na.myconnectwise.net', ${id}, ${id}, 'na', 'c', 'p', 'v1:x', 'p', 'v1:y', '{}',
      '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(db);
  }
  expect(await runMigrations(db, dialect)).toEqual(
    migrations.map((m) => m.name).filter((name) => name >= '0004'),
  );
  expect(migrations.map((m) => m.name)).toContain('0004_tenant_key');
  const rows = (
    await sql<{ id: string; tenant_key: string }>`select id, tenant_key from tenants order by id`.execute(db)
  ).rows;
  expect(rows.map((r) => r.id)).toEqual(['t1', 't2']);
  for (const r of rows) expect(r.tenant_key).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(rows[0]!.tenant_key).not.toBe(rows[1]!.tenant_key);
  // The key is unique in the database itself.
  await expect(
    sql`update tenants set tenant_key = ${rows[0]!.tenant_key} where id = 't2'`.execute(db),
  ).rejects.toThrow(/UNIQUE|duplicate key/i);
}

describe('migration 0004 on a store made before it', () => {
  it('SQLite: backfills a distinct key for every existing tenant, and keeps their rows', async () => {
    const db = new Kysely<never>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
    });
    try {
      await backfillCase(db, 'sqlite');
    } finally {
      await db.destroy();
    }
  });

  const pgUrl = process.env.TEST_DATABASE_URL;
  it.skipIf(!pgUrl)('PostgreSQL (TEST_DATABASE_URL): the same backfill', async () => {
    const schema = `tk_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const db = new Kysely<never>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: pgUrl, max: 1 }),
        onCreateConnection: async (conn) => {
          await conn.executeQuery(CompiledQuery.raw(`create schema if not exists "${schema}"`));
          await conn.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
        },
      }),
    });
    try {
      await backfillCase(db, 'postgres');
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      await db.destroy();
    }
  });
});

describe('frame-ancestors of the framed pages', () => {
  const dist = mkdtempSync(join(tmpdir(), 'pod-dist-'));
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let keys: { sandbox: string; cloud: string; au: string };

  beforeAll(async () => {
    for (const page of ['pod', 'app', 'setup']) {
      mkdirSync(join(dist, page), { recursive: true });
      writeFileSync(join(dist, page, 'index.html'), `<!doctype html><title>${page}</title>`);
    }
    store = await openStore({ sqlitePath: ':memory:' });
    const ctx = apiContext({
      store,
      secretBox: box,
      sessions: createSessionSigner({
        key: deriveKey('test-app-secret-that-is-long-enough-0123456789', 'sessions'),
        issuer: 'i',
        audience: 'a',
        ttlSeconds: 900,
        now,
      }),
      now,
      fetch: globalThis.fetch,
      logger: silentLogger,
      hostOrigins: ['https://cw.partner.example'],
    });
    const sandbox = await ctx.repos.tenants.upsert(input('127.0.0.1:8787', 'democw', 'sandbox'));
    const cloud = await ctx.repos.tenants.upsert(input('eu.myconnectwise.net', 'othermsp', 'eu'));
    const au = await ctx.repos.tenants.upsert(input('au.myconnectwise.net', 'aumsp', 'au'));
    keys = { sandbox: sandbox.tenantKey, cloud: cloud.tenantKey, au: au.tenantKey };
    app = createApp({
      env: { HOST_ORIGINS: ['https://cw.partner.example'], SANDBOX: true },
      logger: silentLogger,
      now,
      distDir: dist,
      api: createApi(ctx),
      frameAncestors: frameAncestorsFor(ctx),
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dist, { recursive: true, force: true });
  });

  /** The frame-ancestors directive of a page's CSP (the rest of the policy is security-headers.test's). */
  const csp = async (path: string) =>
    (await app.request(path)).headers
      .get('content-security-policy')
      ?.split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('frame-ancestors'));

  it.each([
    ['/pod', 'sandbox', 'frame-ancestors http://127.0.0.1:8787 https://cw.partner.example'],
    ['/pod', 'cloud', 'frame-ancestors https://eu.myconnectwise.net https://cw.partner.example'],
    ['/app', 'cloud', 'frame-ancestors https://eu.myconnectwise.net https://cw.partner.example'],
    [
      '/pod',
      'au',
      'frame-ancestors https://au.myconnectwise.net https://aus.myconnectwise.net https://cw.partner.example',
    ],
  ] as const)("%s of the %s tenant: that tenant's site and HOST_ORIGINS only", async (page, which, want) => {
    expect(await csp(`${page}?t=${keys[which]}&screen=agreement&id=1`)).toBe(want);
  });

  it.each([
    ['no key', '/pod?screen=agreement&id=1'],
    ['an unknown key', '/pod?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['the app without a key', '/app'],
  ])('%s: no origin may frame it', async (_name, path) => {
    expect(await csp(path)).toBe("frame-ancestors 'none'");
  });
});
