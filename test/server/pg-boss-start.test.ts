// Two processes of a cluster starting at the same moment on a fresh schema: pg-boss's createQueue on both at once
// deadlocked in PostgreSQL (each attaches its queue's partition to the job table while the other holds a lock
// it needs). The queue now retries a start that lost to a deadlock, so both processes join the queues.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { bossSchemaOf } from '../../server/jobs/pg-boss-queue.ts';
import { jobQueueOf } from '../../server/jobs/queue.ts';
import { type Cluster, createCluster, testQueueTimings } from './cluster-harness.ts';
import { now } from './demo-fixtures.ts';

const pgUrl = process.env.TEST_DATABASE_URL;

if (pgUrl) {
  describe('pg-boss on two processes started at once', () => {
    const clusters: Cluster[] = [];
    afterEach(async () => {
      await Promise.all(clusters.splice(0).map((c) => c.close()));
    });

    it('both start, each queue made once, on five fresh schemas', async () => {
      for (let round = 0; round < 5; round++) {
        const c = await createCluster({ postgresUrl: pgUrl, now });
        clusters.push(c);
        const started = await Promise.allSettled([
          jobQueueOf(c.a.ctx, testQueueTimings).start(),
          jobQueueOf(c.b.ctx, testQueueTimings).start(),
        ]);
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual([
          'started',
          'started',
        ]);
        const schema = bossSchemaOf(c.schema);
        const { rows } = await sql<{
          name: string;
        }>`select name from ${sql.id(schema, 'queue')} order by name`.execute(c.a.store.db);
        // Ours only: pg-boss makes no queue of its own without its cron (schedule: false).
        expect(rows.map((r) => r.name)).toEqual(['bulk-job', 'schedule-run']);
      }
    }, 120_000);
  });
} else {
  describe.skip('pg-boss on two processes started at once (set TEST_DATABASE_URL)', () => {
    it('both start', () => {});
  });
}
