// Cluster mode: two server processes (two pools, one APP_SECRET) on one PostgreSQL schema, sharing the
// emulators. Sessions, plans, locks and the journal must be rows or signed tokens, never process memory.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, runMigrations } from '../../server/store/index.ts';
import { migrations } from '../../server/store/migrations.ts';
import { LOCK_TTL_MS } from '../../server/sync/apply.ts';
import { UNKNOWN_OUTCOME_WINDOW_MS } from '../../server/sync/outcome.ts';
import { type Cluster, createCluster, type ServerProcess, serverProcess } from './cluster-harness.ts';
import { aceE3Subscription, figures, guideAdditions, now } from './demo-fixtures.ts';

const allMigrations = migrations.map((m) => ({ name: m.name }));

const pgUrl = process.env.TEST_DATABASE_URL;

if (pgUrl) {
  describe('cluster mode: two server processes on one PostgreSQL', () => {
    let c: Cluster;
    let token: string;
    let agreementId: number;
    let subscriptionId: string;

    beforeEach(async () => {
      c = await createCluster({ postgresUrl: pgUrl, now });
      agreementId = c.agreementNamed('Ace Monthly').id;
      subscriptionId = aceE3Subscription(c.pax8.data).id;
      token = await c.signIn(c.a);
    });
    afterEach(() => c.close());

    const e3Additions = () =>
      c.additionsOf(agreementId).filter((a) => (a.product as { id: number }).id === 682);

    async function plan(proc: ServerProcess) {
      const res = await c.call(proc, 'POST', '/api/sync/plan', { subscriptionId, agreementId }, token);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json as { planId: string; additions: { key: string; kind: string; action: string }[] };
    }
    /** The journal's states as B reads them, oldest first. */
    const journalStates = async () =>
      (await c.b.store.db.selectFrom('sync_journal').select('state').orderBy('created_at').execute()).map(
        (r) => r.state,
      );
    const apply = (proc: ServerProcess, planId: string) =>
      c.call(proc, 'POST', '/api/sync/apply', { planId }, token);

    it('migrations run by both processes at start on a fresh schema apply once', async () => {
      for (const proc of [c.a, c.b]) {
        const rows = await proc.store.db.selectFrom('migrations').select('name').execute();
        expect(rows).toEqual(allMigrations);
        expect(await runMigrations(proc.store.db, 'postgres')).toEqual([]);
      }
      // A third process starting later on the same schema finds nothing to do either.
      const third = await openStore({ postgresUrl: pgUrl, pgSchema: c.schema });
      try {
        const rows = await third.db.selectFrom('migrations').select('name').execute();
        expect(rows).toEqual(allMigrations);
      } finally {
        await third.close();
      }
    });

    it('a session token issued by A is accepted by B; a process with another APP_SECRET refuses it', async () => {
      for (const proc of [c.a, c.b]) {
        const res = await c.call(proc, 'GET', `/api/views/agreement/${agreementId}`, undefined, token);
        expect(res.status, `${proc.name}: ${JSON.stringify(res.json)}`).toBe(200);
        expect(res.json.agreement).toMatchObject({ id: agreementId, name: 'Ace Monthly' });
      }
      const stranger = serverProcess('C', c.b.store, {
        now: () => now,
        fetch: c.b.ctx.fetch,
        appSecret: 'another-app-secret-0123456789abcdefghijklmnop',
      });
      const refused = await c.call(stranger, 'GET', `/api/views/agreement/${agreementId}`, undefined, token);
      expect(refused.status).toBe(401);
      expect(refused.json.error.code).toBe('unauthorized');
    });

    it('a plan made on A is applied on B: exactly the three planned additions', async () => {
      const p = await plan(c.a);
      expect(p.additions.map((a) => [a.kind, a.action])).toEqual([
        ['recurring', 'create'],
        ['prorate', 'create'],
        ['extra', 'create'],
      ]);
      const res = await apply(c.b, p.planId);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.applied).toHaveLength(3);
      expect(e3Additions().map(figures)).toEqual(guideAdditions);
      expect(c.cw.faults.counts.writes).toBe(3);

      // Applying again on A writes nothing; a new plan on A finds nothing left to write.
      const again = await apply(c.a, p.planId);
      expect(again.status).toBe(200);
      expect(again.json.applied).toEqual(res.json.applied);
      expect(c.cw.faults.counts.writes).toBe(3);
      expect((await plan(c.a)).additions.filter((a) => a.action !== 'none')).toEqual([]);
    });

    // A few rounds, each on a fresh cluster; CW latency widens the window in which both applies are in flight.
    it.each([
      [1, 0],
      [2, 0],
      [3, 2],
      [4, 10],
    ])(
      'round %i: the same plan applied on A and B at once (CW latency %i ms) → the planned additions once',
      async (_round, latencyMs) => {
        const p = await plan(c.a);
        c.cw.faults.set({ latencyMs });
        const results = await Promise.all([apply(c.a, p.planId), apply(c.b, p.planId)]);
        const statuses = results.map((r) => r.status).sort();
        // The loser finds the lock taken (409 conflict) or runs after the winner and reuses its journal.
        expect([
          [200, 200],
          [200, 409],
        ]).toContainEqual(statuses);
        for (const r of results.filter((r) => r.status === 409)) expect(r.json.error.code).toBe('conflict');
        const [first, second] = results;
        if (first?.status === 200 && second?.status === 200)
          expect(second.json.applied).toEqual(first.json.applied);
        expect(e3Additions().map(figures)).toEqual(guideAdditions);
        expect(c.cw.faults.counts.writes).toBe(3);
      },
    );

    it('A gets a 500 on its second write (outcome unknown), B retries after the window → exactly the planned additions', async () => {
      const p = await plan(c.a);
      c.cw.faults.set({ failAfterWrites: 1 });
      const crashed = await apply(c.a, p.planId);
      expect(crashed.status).toBe(409);
      expect(crashed.json.error.code).toBe('write_outcome_unknown');
      expect(e3Additions()).toHaveLength(1);
      c.cw.faults.set({ failAfterWrites: null });

      // B is refused while A's write could still land, then sends it once.
      const early = await apply(c.b, p.planId);
      expect(early.status).toBe(409);
      expect(early.json.error.code).toBe('write_outcome_unknown');
      c.setNow(new Date(now.getTime() + UNKNOWN_OUTCOME_WINDOW_MS));
      token = await c.signIn(c.a);
      const retry = await apply(c.b, p.planId);
      expect(retry.status, JSON.stringify(retry.json)).toBe(200);
      expect(e3Additions().map(figures)).toEqual(guideAdditions);
      expect(c.cw.faults.counts.writes).toBe(3);
    });

    it('A dies after CW took its first write (no journal update, lock left held): B waits out the lock, then finishes once', async () => {
      const p = await plan(c.a);
      // Process A is killed the moment CW answers its first addition POST: its pool is gone, so it can
      // neither mark the write done nor release its lock.
      c.interceptUpstream(c.a, async (req, send) => {
        const res = await send(req);
        if (req.method === 'POST' && new URL(req.url).pathname.endsWith('/additions')) {
          void c.a.store.close();
          throw new TypeError('fetch failed: process killed');
        }
        return res;
      });
      const crashed = await apply(c.a, p.planId);
      expect(crashed.status).toBeGreaterThanOrEqual(500);
      expect(e3Additions()).toHaveLength(1);
      expect(await journalStates()).toEqual(['sent']);

      const held = await apply(c.b, p.planId);
      expect(held.status).toBe(409);
      expect(held.json.error.code).toBe('conflict');
      expect(e3Additions()).toHaveLength(1);

      c.setNow(new Date(now.getTime() + LOCK_TTL_MS + 1_000));
      const retry = await apply(c.b, p.planId);
      expect(retry.status, JSON.stringify(retry.json)).toBe(200);
      expect(e3Additions().map(figures)).toEqual(guideAdditions);
      expect(c.cw.faults.counts.writes).toBe(3);
      expect(await journalStates()).toEqual(['done', 'done', 'done']);
    });
  });
} else if (process.env.CI === 'true') {
  describe('cluster mode on PostgreSQL', () => {
    it('needs a database', () => {
      throw new Error('TEST_DATABASE_URL is required in CI (e.g. postgres://postgres@127.0.0.1:5432/test)');
    });
  });
} else {
  console.warn(
    'cluster mode on PostgreSQL: skipped (set TEST_DATABASE_URL=postgres://… to run the cluster tests)',
  );
  describe.skip('cluster mode on PostgreSQL (set TEST_DATABASE_URL)', () => {
    it('runs two server processes on one database', () => {});
  });
}
