// Where bulk jobs are sent to be run: in this process on SQLite (the embedded default), through pg-boss on
// PostgreSQL so a job outlives the process running it (cluster mode). A scheduled sync sends its jobs here too.
import type { ApiContext } from '../routes/deps.ts';
import { bulkRunnerOf } from './bulk-runner.ts';
import { type PgBossTimings, pgBossQueue } from './pg-boss-queue.ts';

export type JobQueue = {
  /** Starts taking work (and, in process, resumes unfinished jobs). */
  start(): Promise<void>;
  /** Asks for the bulk job to be run (a job already running or done is not run twice). */
  send(tenantId: string, jobId: string): Promise<void>;
  stop(): Promise<void>;
};

export function inProcessQueue(ctx: ApiContext): JobQueue {
  const runner = bulkRunnerOf(ctx);
  return {
    start: () => runner.resume(),
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
