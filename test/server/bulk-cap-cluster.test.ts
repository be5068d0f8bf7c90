// The per-tenant cap holds across processes: two runners on one store (SQLite; and two PostgreSQL pools on one
// schema when TEST_DATABASE_URL is set), each running a job of the same tenant, never have more than
// TENANT_CONCURRENCY of the tenant's ConnectWise requests in flight between them; and the slots of a process that
// died holding them free themselves once their lease (SLOT_TTL_MS, on the injected clock) has run out.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ItemPayload } from '../../server/jobs/bulk-items.ts';
import { createBulkRunner, SLOT_TTL_MS, TENANT_CONCURRENCY } from '../../server/jobs/bulk-runner.ts';
import { SLOT_KEY_PREFIX } from '../../server/jobs/tenant-slots.ts';
import { apiContext } from '../../server/routes/api.ts';
import type { ApiContext } from '../../server/routes/deps.ts';
import { openStore, type Store } from '../../server/store/index.ts';
import { tenantSyncContext } from '../../server/sync-context.ts';
import { bulkData } from './bulk-data.ts';
import { freshSchema } from './cluster-harness.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const now = new Date('2026-01-15T12:00:00Z');
const pgUrl = process.env.TEST_DATABASE_URL;

type Setup = { h: Harness; other: ApiContext; close: () => Promise<void> };

/** Process A is the harness; process B another context on the same database (its own pool on PostgreSQL). */
async function setUp(kind: 'sqlite' | 'postgres', data: ReturnType<typeof bulkData>): Promise<Setup> {
  if (kind === 'sqlite') {
    const h = await createHarness({ now, cwData: data.cw, pax8Data: data.pax8, seedBindings: false });
    await data.bind(h.repos, h.tenant.id);
    return { h, other: apiContext({ ...h.ctx }), close: () => h.close() };
  }
  const schema = freshSchema();
  const stores: Store[] = [];
  const open = async () => {
    const s = await openStore({ postgresUrl: pgUrl as string, pgSchema: schema });
    stores.push(s);
    return s;
  };
  const h = await createHarness({
    now,
    cwData: data.cw,
    pax8Data: data.pax8,
    seedBindings: false,
    store: await open(),
  });
  await data.bind(h.repos, h.tenant.id);
  const other = apiContext({ ...h.ctx, store: await open() });
  return {
    h,
    other,
    close: async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(h.store.db);
      await Promise.allSettled(stores.map((s) => s.close()));
    },
  };
}

/** Two jobs of the tenant from one review, half the subscriptions each (saved, not yet run). */
async function twoJobs(h: Harness, data: ReturnType<typeof bulkData>): Promise<[string, string]> {
  const review = await h.call('POST', '/api/bulk/plan', { items: data.items });
  expect(review.status).toBe(200);
  const sc = await tenantSyncContext(h.ctx, h.tenant.id);
  const items: { payload: ItemPayload }[] = [];
  for (const i of review.json.items as { planId: string }[]) {
    const plan = await sc.store.getPlan(i.planId);
    if (!plan) throw new Error(`plan ${i.planId} is gone`);
    items.push({ payload: { type: 'apply', plan, ignore: [] } });
  }
  expect(items).toHaveLength(data.items.length);
  const half = items.length / 2;
  const make = async (source: string, part: typeof items) =>
    (
      await h.repos.bulkJobs.create(h.tenant.id, {
        kind: 'apply',
        source,
        memberId: 'jsmith',
        memberName: 'John Smith',
        items: part,
      })
    ).job.id;
  return [await make('test:one', items.slice(0, half)), await make('test:two', items.slice(half))];
}

const states = async (h: Harness, jobId: string) =>
  (await h.repos.bulkJobs.items(h.tenant.id, jobId)).map((i) => i.state);

const kinds = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(kinds)('the per-tenant cap across processes (%s)', (kind) => {
  let s: Setup | null = null;
  afterEach(async () => {
    await s?.close();
    s = null;
  });

  it(`two runners on one store keep at most ${TENANT_CONCURRENCY} of the tenant's ConnectWise requests in flight`, async () => {
    const data = bulkData({ companies: 4, now });
    s = await setUp(kind, data);
    const { h, other } = s;
    const [one, two] = await twoJobs(h, data);
    let inFlight = 0;
    let most = 0;
    h.interceptUpstream(async (req, send) => {
      if (new URL(req.url).host !== 'cw.test') return send(req);
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 25)); // a little latency, so requests overlap
        return await send(req);
      } finally {
        inFlight--;
      }
    });
    const a = createBulkRunner(h.ctx, { owner: 'runner:a', slotPollMs: 5 });
    const b = createBulkRunner(other, { owner: 'runner:b', slotPollMs: 5 });
    const outcomes = await Promise.all([a.run(h.tenant.id, one), b.run(h.tenant.id, two)]);
    expect(outcomes).toEqual(['finished', 'finished']);
    expect([...(await states(h, one)), ...(await states(h, two))]).toEqual(Array(20).fill('done'));
    // Each runner alone would take the whole cap (8 between them before slots were shared).
    expect(most).toBe(TENANT_CONCURRENCY);
    // Every slot was given back.
    const left = await h.store.db
      .selectFrom('locks')
      .select('key')
      .where('key', 'like', `${SLOT_KEY_PREFIX}%`)
      .execute();
    expect(left).toEqual([]);
  });

  it('a dead process’s slots free themselves once their lease has run out', async () => {
    const data = bulkData({ companies: 2, now });
    s = await setUp(kind, data);
    const { h, other } = s;
    const [one] = await twoJobs(h, data);
    // A process took every slot of the tenant and died (kill -9): its rows stay until they expire.
    for (let n = 0; n < TENANT_CONCURRENCY; n++) {
      expect(
        await h.repos.locks.acquire(h.tenant.id, `${SLOT_KEY_PREFIX}${n}`, 'dead', SLOT_TTL_MS, now),
      ).toBe(true);
    }
    const cwCalls = () => h.upstreamCalls.filter((c) => c.includes('cw.test')).length;
    const before = cwCalls();
    const runner = createBulkRunner(other, { owner: 'runner:live', slotPollMs: 5 });
    const run = runner.run(h.tenant.id, one);
    await new Promise((r) => setTimeout(r, 150));
    expect(cwCalls()).toBe(before); // every slot is held: nothing runs
    expect(await states(h, one)).toEqual(Array(5).fill('pending'));
    h.setNow(new Date(now.getTime() + SLOT_TTL_MS - 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(cwCalls()).toBe(before); // not yet run out
    h.setNow(new Date(now.getTime() + SLOT_TTL_MS));
    expect(await run).toBe('finished');
    expect(await states(h, one)).toEqual(Array(5).fill('done'));
  });
});
