// Cluster mode (issue 11 "Done when"): two server processes on one PostgreSQL schema, started at the same moment
// and both ticking their scheduler at the due instant, many times over — the ticks send one pg-boss
// `schedule-run` job between them, a pg-boss worker runs it once, its auto-apply job is made once, and
// ConnectWise gets Ace's E3 2 → 4 seats written once (the bulk job through pg-boss too).
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bossSchemaOf, SCHEDULE_QUEUE } from '../../server/jobs/pg-boss-queue.ts';
import { jobQueueOf } from '../../server/jobs/queue.ts';
import { createScheduler } from '../../server/schedule/scheduler.ts';
import { type Cluster, createCluster, testQueueTimings } from './cluster-harness.ts';
import { aceE3Subscription, figures, now } from './demo-fixtures.ts';

const pgUrl = process.env.TEST_DATABASE_URL;

if (pgUrl) {
  describe('a scheduled run on two processes, one PostgreSQL', () => {
    let c: Cluster;
    beforeEach(async () => {
      c = await createCluster({ postgresUrl: pgUrl, now });
    });
    afterEach(() => c.close());

    it('fires once', async () => {
      const agreementId = c.agreementNamed('Ace Monthly').id;
      const subscriptionId = aceE3Subscription(c.pax8.data).id;
      const token = await c.signIn(c.a);
      const plan = await c.call(c.a, 'POST', '/api/sync/plan', { subscriptionId, agreementId }, token);
      expect((await c.call(c.a, 'POST', '/api/sync/apply', { planId: plan.json.planId }, token)).status).toBe(
        200,
      );
      c.pax8.data.changeQuantity(subscriptionId, 4, '2020-09-20T11:00:00.000Z');
      const saved = await c.call(
        c.b,
        'PATCH',
        '/api/setup/settings',
        {
          schedule: {
            enabled: true,
            timeOfDay: '13:00',
            timeZone: 'UTC',
            recurringSeatsBelow: 3,
            proratesUnder: null,
          },
        },
        token,
      );
      expect(saved.status, JSON.stringify(saved.json)).toBe(200);
      c.setNow(new Date('2020-09-20T13:00:05.000Z'));

      // Both processes join the PostgreSQL job queue (pg-boss) at the same moment, as two main.ts started at once.
      await Promise.all([
        jobQueueOf(c.a.ctx, testQueueTimings).start(),
        jobQueueOf(c.b.ctx, testQueueTimings).start(),
      ]);
      const sa = createScheduler(c.a.ctx);
      const sb = createScheduler(c.b.ctx);
      // Every tick sends the run to pg-boss rather than running it: none is made in the ticking process.
      expect((await Promise.all([sa.tick(), sb.tick(), sa.tick(), sb.tick()])).flat()).toEqual([]);
      const tenantId = (await c.a.ctx.repos.tenants.list())[0]?.id;
      const bossJobs = () =>
        sql<{ singleton_key: string; state: string; data: unknown }>`
          select singleton_key, state, data from ${sql.id(bossSchemaOf(c.schema), 'job')}
          where name = ${SCHEDULE_QUEUE}`.execute(c.a.store.db);
      // A pg-boss worker (of either process) runs it, and its auto-apply job goes through pg-boss as well.
      for (let i = 0; i < 600; i++) {
        await Promise.all([sa.tick(), sb.tick()]);
        const runs = await c.a.store.db.selectFrom('schedule_runs').select('state').execute();
        const jobs = await c.a.store.db.selectFrom('bulk_jobs').select('state').execute();
        if (
          runs.some((r) => r.state !== 'running') &&
          jobs.length > 0 &&
          jobs.every((j) => j.state === 'done')
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const slot = '2020-09-20T13:00:00.000Z';
      expect((await bossJobs()).rows).toEqual([
        { singleton_key: `${tenantId}|${slot}`, state: 'completed', data: { tenantId, slot } },
      ]);
      expect((await sa.tick()).concat(await sb.tick())).toEqual([]);
      expect((await bossJobs()).rows).toHaveLength(1);

      const runs = await c.a.store.db.selectFrom('schedule_runs').selectAll().execute();
      expect(runs.map((r) => [r.slot, r.state])).toEqual([['2020-09-20T13:00:00.000Z', 'done']]);
      const jobs = await c.a.store.db.selectFrom('bulk_jobs').select(['source', 'state']).execute();
      expect(jobs.filter((j) => j.source.startsWith('schedule:'))).toEqual([
        { source: `schedule:${runs[0]?.id}`, state: 'done' },
      ]);
      const e3 = c
        .additionsOf(agreementId)
        .filter((a) => (a.product as { id: number }).id === 682)
        .map(figures);
      expect(e3.filter((a) => a.quantity === 4 && a.cancelledDate === null)).toHaveLength(1);
      expect(e3.filter((a) => a.quantity === 2 && a.cancelledDate === null)).toEqual([]);
    }, 60_000);
  });
} else {
  describe.skip('a scheduled run on two processes (set TEST_DATABASE_URL)', () => {
    it('fires once', () => {});
  });
}
