// Where bulk jobs are sent to be run: in this process on SQLite (the embedded default), through pg-boss on
// PostgreSQL so a job outlives the process running it (cluster mode). A scheduled sync sends its jobs here too.
import type { ApiContext } from '../routes/deps.ts';
import type { BulkJobRow, NewJob } from '../store/index.ts';
import { bulkRunnerOf } from './bulk-runner.ts';
import { type PgBossTimings, pgBossQueue, type ScheduleRunQueue } from './pg-boss-queue.ts';

export type JobQueue = {
  /** Starts taking work (and, in process, resumes unfinished jobs). */
  start(): Promise<void>;
  /** Asks for the bulk job to be run (a job already running or done is not run twice). */
  send(tenantId: string, jobId: string): Promise<void>;
  /** Scheduled runs as jobs of the cluster (PostgreSQL); null in process, where the scheduler runs them itself. */
  readonly scheduleRuns: ScheduleRunQueue | null;
  stop(): Promise<void>;
};

export function inProcessQueue(ctx: ApiContext): JobQueue {
  const runner = bulkRunnerOf(ctx);
  return {
    start: () => runner.resume(),
    scheduleRuns: null,
    async send(tenantId, jobId) {
      runner.enqueue(tenantId, jobId);
    },
    async stop() {
      runner.stop();
    },
  };
}

const queues = new WeakMap<ApiContext, JobQueue>();

/** The process's queue for this API context, made on first use. */
export function jobQueueOf(ctx: ApiContext, timings?: PgBossTimings): JobQueue {
  let queue = queues.get(ctx);
  if (!queue) {
    const pg = ctx.store.postgres;
    queue = pg ? pgBossQueue(bulkRunnerOf(ctx), pg, ctx.logger, timings) : inProcessQueue(ctx);
    queues.set(ctx, queue);
  }
  return queue;
}

/** Stops the context's queue if it was ever made (a test's process closing). */
export async function stopJobQueue(ctx: ApiContext): Promise<void> {
  await queues.get(ctx)?.stop();
}

/**
 * Saves a job (once per `source`: a second call finds the first job) and sends it to be run. The bulk routes
 * use it, and so can a scheduled sync: plans it made, as `{ type: 'apply', plan, ignore }` items, under a
 * source naming the run (e.g. `schedule:<run id>`), with the rule or member it acts for.
 */
export async function startJob(
  ctx: ApiContext,
  tenantId: string,
  job: NewJob,
): Promise<{ job: BulkJobRow; created: boolean }> {
  const saved = await ctx.repos.bulkJobs.create(tenantId, job);
  if (saved.job.state !== 'done') await jobQueueOf(ctx).send(tenantId, saved.job.id);
  return saved;
}
