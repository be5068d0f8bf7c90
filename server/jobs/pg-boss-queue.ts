// The bulk job queue on PostgreSQL, over pg-boss (the one module that imports it). A job is sent once per bulk
// job id; a worker in any process runs it to the end through the runner. When the process running it dies
// (kill -9), pg-boss expires the job and retries it, and a worker elsewhere takes it over once the dead
// runner's lease (bulk-jobs.ts) has run out: the lease, not pg-boss, decides who writes.
// A scheduled sync's run is a pg-boss job too (`schedule-run`): every process's scheduler sends it when its tick
// finds a run due, one job per (tenant, due instant) whoever sends it, and one worker of the cluster runs it.
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from '../log.ts';
import type { BulkRunner } from './bulk-runner.ts';
import type { JobQueue } from './queue.ts';

export const BULK_QUEUE = 'bulk-job';
export const SCHEDULE_QUEUE = 'schedule-run';

/** A scheduled run to make: the tenant's schedule at its due instant (ISO), on the injected clock. */
export type ScheduleRunJob = { tenantId: string; slot: string };

export type ScheduleRunQueue = {
  /**
   * Sends the run unless it was sent already: `attempt` names which try it is (the first, or a take-over of a
   * run whose process died), and every process sending the same try makes one pg-boss job between them.
   * Resolves true when this send made the job.
   */
  send(run: ScheduleRunJob, attempt: string): Promise<boolean>;
  /** This process runs scheduled runs sent by any process (pg-boss hands each job to one worker). */
  work(handler: (run: ScheduleRunJob) => Promise<void>): Promise<void>;
};

/** The singleton key of a run: one waiting and one running per tenant and instant (policy 'stately'). */
export const scheduleRunKey = (run: ScheduleRunJob) => `${run.tenantId}|${run.slot}`;

/**
 * The pg-boss job id of a try of a run, the same in every process: pg-boss inserts a job `ON CONFLICT DO
 * NOTHING` on (queue, id), so two processes sending it at the same moment make one job, even if the first is
 * already running (which 'stately' alone would let a second wait behind).
 */
export function scheduleRunJobId(run: ScheduleRunJob, attempt: string): string {
  const h = createHash('sha256')
    .update(`${scheduleRunKey(run)}|${attempt}`)
    .digest('hex');
  // A UUID's shape (version 8, "custom"), as pg-boss's id column is a uuid.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? '0', 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** PostgreSQL's "deadlock detected": the other side of it went through, so trying again is safe. */
const isDeadlock = (err: unknown) => (err as { code?: string } | null)?.code === '40P01';

/**
 * Runs `fn` again when PostgreSQL chose it as a deadlock's victim. pg-boss's createQueue made by two processes
 * at once on a fresh schema deadlocks (each attaches its queue's table to pg-boss's job table); the one that
 * went through made the queue, so the retry finds it and does nothing.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDeadlock(err) || i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 50 * i));
    }
  }
}

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
): JobQueue & { scheduleRuns: ScheduleRunQueue } {
  const boss = new PgBoss({
    connectionString: pg.url,
    schema: bossSchemaOf(pg.schema),
    max: 2,
    // No pg-boss cron: a scheduled sync is timed by the injected clock (see the scheduler), and its timekeeper's
    // own queue would be one more createQueue racing at start.
    schedule: false,
    maintenanceIntervalSeconds: timings.maintenanceIntervalSeconds,
  });
  boss.on('error', (err: Error) => logger.error('job queue error', { error: err.message }));
  let started: Promise<void> | null = null;
  const start = () => {
    started ??= (async () => {
      // Not retried: pg-boss's start() cannot be called again after it failed half-way. Its install runs under an
      // advisory lock, and with `schedule: false` it makes no queue of its own, so only createQueue below races.
      await boss.start();
      await retryOnDeadlock(() =>
        boss.createQueue(BULK_QUEUE, {
          name: BULK_QUEUE,
          // At most one waiting and one running per bulk job: a re-send (a look at the job) adds nothing.
          policy: 'stately',
          expireInSeconds: timings.expireInSeconds,
          retryLimit: 1000,
          retryDelay: timings.retryDelaySeconds,
        }),
      );
      await retryOnDeadlock(() =>
        boss.createQueue(SCHEDULE_QUEUE, {
          name: SCHEDULE_QUEUE,
          policy: 'stately',
          expireInSeconds: timings.expireInSeconds,
          // A run that fails is told so in its summary; a process that dies mid-run is retried here, and the
          // store's run row (taken over once stale) decides whether the retry runs anything.
          retryLimit: 3,
          retryDelay: timings.retryDelaySeconds,
        }),
      );
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
  let working: Promise<unknown> | null = null;
  const scheduleRuns: ScheduleRunQueue = {
    async send(run, attempt) {
      await start();
      const id = await boss.send(
        SCHEDULE_QUEUE,
        { tenantId: run.tenantId, slot: run.slot },
        { id: scheduleRunJobId(run, attempt), singletonKey: scheduleRunKey(run) },
      );
      return id !== null;
    },
    async work(handler) {
      await start();
      working ??= boss.work<ScheduleRunJob>(
        SCHEDULE_QUEUE,
        { pollingIntervalSeconds: timings.pollingIntervalSeconds, batchSize: 1 },
        async ([job]) => {
          if (job) await handler(job.data);
        },
      );
      await working;
    },
  };
  return {
    start,
    scheduleRuns,
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
