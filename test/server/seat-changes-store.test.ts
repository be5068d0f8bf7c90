// The seat-change journal (migration 0009) on in-memory SQLite, and on PostgreSQL when TEST_DATABASE_URL is set
// (its own schema, dropped after): one row per key however many processes claim it at once, and the waived
// change keys of done changes only, per tenant.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRepositories,
  createSecretBox,
  deriveKey,
  openStore,
  type Repositories,
  type SeatChangeClaim,
  type Store,
  type TenantInput,
} from '../../server/store/index.ts';

const box = createSecretBox(deriveKey('test-app-secret-that-is-long-enough-0123456789', 'secrets'));
const now = () => new Date('2026-11-20T12:00:00.000Z');

const tenantInput = (): TenantInput => ({
  name: 'Northwind',
  cwSite: 'https://na.myconnectwise.net/',
  cwCompanyId: `co${randomUUID().slice(0, 8)}`,
  cwRegion: 'na',
  cwClientId: 'client-1',
  cwPublicKey: 'pub-1',
  cwPrivateKey: 'priv-1',
  pax8ClientId: 'pax8-client',
  pax8ClientSecret: 'pax8-secret',
});

const claim = (key: string, waiveProrate: boolean, subscriptionId = 'sub-1'): SeatChangeClaim => ({
  idempotencyKey: key,
  subscriptionId,
  action: 'quantity',
  fromQuantity: 2,
  toQuantity: 3,
  waiveProrate,
  memberId: 'jsmith',
  memberName: 'John Smith',
});

function suite(open: () => Promise<Store>, close: (store: Store) => Promise<void>) {
  let stores: Store[] = [];
  let repos: Repositories[] = [];
  beforeAll(async () => {
    // Two stores over one database: two server processes.
    const first = await open();
    stores = [first, await open()];
    repos = stores.map((s) => createRepositories(s.db, box, now));
  });
  afterAll(async () => {
    for (const s of stores.slice(1)) if (s !== stores[0]) await s.close();
    if (stores[0]) await close(stores[0]);
  });

  it('a key claimed by four callers in two processes at once is one row', async () => {
    const [r1, r2] = repos as [Repositories, Repositories];
    const tenant = (await r1.tenants.upsert(tenantInput())).id;
    const got = await Promise.all(
      [r1, r2, r1, r2].map((r) => r.seatChanges.claim(tenant, claim('dbl', false))),
    );
    expect(got.filter((g) => g.created)).toHaveLength(1);
    expect(new Set(got.map((g) => g.change.id)).size).toBe(1);
    expect(got[0]?.change).toMatchObject({
      state: 'pending',
      fromQuantity: 2,
      toQuantity: 3,
      memberName: 'John Smith',
    });
  });

  it('waived change keys: done and waived only, of this tenant and subscription', async () => {
    const [r] = repos as [Repositories];
    const tenant = (await r.tenants.upsert(tenantInput())).id;
    const other = (await r.tenants.upsert(tenantInput())).id;
    const done = async (t: string, c: SeatChangeClaim, changeKey: string) => {
      const { change } = await r.seatChanges.claim(t, c);
      await r.seatChanges.markSent(t, change.id);
      return r.seatChanges.markDone(t, change.id, changeKey, { quantity: 3 });
    };
    expect(await done(tenant, claim('a', true), '2026-11-20#1')).toMatchObject({
      state: 'done',
      changeKey: '2026-11-20#1',
    });
    await done(tenant, claim('b', false), '2026-11-20#2');
    await done(tenant, claim('c', true, 'sub-2'), '2026-11-20#1');
    await done(other, claim('d', true), '2026-11-18#1');
    const sent = (await r.seatChanges.claim(tenant, claim('e', true))).change;
    await r.seatChanges.markSent(tenant, sent.id);
    await r.seatChanges.markUnknown(tenant, sent.id, { error: 'timeout' });
    expect(await r.seatChanges.waivedChangeKeys(tenant, 'sub-1')).toEqual(['2026-11-20#1']);
    expect(await r.seatChanges.waivedChangeKeys(other, 'sub-1')).toEqual(['2026-11-18#1']);
    expect(await r.seatChanges.byKey(other, 'a')).toBeNull();
  });
}

describe('seat changes on SQLite (in memory)', () => {
  // In-memory SQLite is one database per connection: both "processes" share the first store's.
  let shared: Store | undefined;
  suite(
    async () => {
      shared ??= await openStore({ sqlitePath: ':memory:' });
      return shared;
    },
    async (store) => store.close(),
  );
});

const pgUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!pgUrl)('seat changes on PostgreSQL (TEST_DATABASE_URL)', () => {
  const schema = `seat_changes_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  suite(
    () => openStore({ postgresUrl: pgUrl as string, pgSchema: schema }),
    async (store) => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
    },
  );
});
