// The bulk job queue on PostgreSQL, over pg-boss (the one module that imports it). A job is sent once per bulk
// job id; a worker in any process runs it to the end through the runner. When the process running it dies
// (kill -9), pg-boss expires the job and retries it, and a worker elsewhere takes it over once the dead
// runner's lease (bulk-jobs.ts) has run out: the lease, not pg-boss, decides who writes.
import PgBoss from 'pg-boss';
import type { Logger } from '../log.ts';
import type { BulkRunner } from './bulk-runner.ts';
import type { JobQueue } from './queue.ts';

export const BULK_QUEUE = 'bulk-job';

export type PgBossTimings = {
  /** An active job whose process said nothing for this long is retried elsewhere. */
  expireInSeconds: number;
  /** How often pg-boss looks for expired jobs. */
  maintenanceIntervalSeconds: number;
  /** How often an idle worker asks for work. */
  pollingIntervalSeconds: number;
  /** A job another live runner holds is asked for again after this. */
  retryDelaySeconds: number;
};

export const defaultPgBossTimings: PgBossTimings = {
  expireInSeconds: 15 * 60,
  maintenanceIntervalSeconds: 60,
  pollingIntervalSeconds: 2,
  retryDelaySeconds: 30,
};

/** pg-boss's schema beside the store's: `pgboss` for the default `public`, `<schema>_pgboss` otherwise. */
export const bossSchemaOf = (schema: string) => (schema === 'public' ? 'pgboss' : `${schema}_pgboss`);

export function pgBossQueue(
  runner: BulkRunner,
  pg: { url: string; schema: string },
  logger: Logger,
  timings: PgBossTimings = defaultPgBossTimings,
): JobQueue {
  const boss = new PgBoss({
    connectionString: pg.url,
    schema: bossSchemaOf(pg.schema),
    max: 2,
    maintenanceIntervalSeconds: timings.maintenanceIntervalSeconds,
  });
  boss.on('error', (err: Error) => logger.error('job queue error', { error: err.message }));
  let started: Promise<void> | null = null;
  const start = () => {
    started ??= (async () => {
      await boss.start();
      await boss.createQueue(BULK_QUEUE, {
        name: BULK_QUEUE,
        // At most one waiting and one running per bulk job: a re-send (a look at the job) adds nothing.
        policy: 'stately',
        expireInSeconds: timings.expireInSeconds,
        retryLimit: 1000,
        retryDelay: timings.retryDelaySeconds,
      });
      await boss.work<{ tenantId: string; jobId: string }>(
        BULK_QUEUE,
        { pollingIntervalSeconds: timings.pollingIntervalSeconds, batchSize: 1 },
        async ([job]) => {
          if (!job) return;
          const outcome = await runner.run(job.data.tenantId, job.data.jobId);
          // Held by another live runner (or this one is stopping): pg-boss asks again after retryDelay.
          if (outcome !== 'finished')
            throw new Error(`bulk job ${job.data.jobId}: ${outcome}, retried later`);
        },
      );
    })();
    return started;
  };
  return {
    start,
    async send(tenantId, jobId) {
      await start();
      await boss.send(BULK_QUEUE, { tenantId, jobId }, { singletonKey: jobId });
    },
    async stop() {
      runner.stop();
      if (started) await boss.stop({ graceful: false, wait: true });
    },
  };
}
