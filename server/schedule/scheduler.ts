// The scheduler: a tick looks at every tenant whose scheduled sync is on, works out the latest due instant on
// the injected clock (the sandbox clock in sandbox mode, so moving it makes a run due), and runs it unless it
// has run. Missed instants are not replayed: after a pause (or a clock moved days ahead) only the latest one runs.
// On SQLite (one process) the tick runs it itself. On PostgreSQL every process of a cluster ticks and the run is
// a pg-boss job: a tick that finds a run due sends `schedule-run` (one job per tenant and instant, whichever
// processes send it), and one pg-boss worker of the cluster runs it; the run's unique (tenant, instant) row in
// the store stays the final guard. The due instant comes from the injected clock, not pg-boss's cron: pg-boss
// schedules on the database's time, which cannot follow the sandbox clock.
import { randomUUID } from 'node:crypto';
import type { ScheduleRunJob } from '../jobs/pg-boss-queue.ts';
import { jobQueueOf } from '../jobs/queue.ts';
import type { ApiContext } from '../routes/deps.ts';
import type { ScheduleRunRow } from '../store/index.ts';
import { dueSlot } from './due.ts';
import { RUN_STALE_MS, runSchedule } from './run.ts';

/** How often a process looks for a due run (a run starts at most this late). */
export const TICK_MS = 30_000;

export type Scheduler = {
  readonly owner: string;
  /**
   * Runs what is due now, or on PostgreSQL sends it to the cluster's job queue (and joins its workers); resolves
   * with the runs this tick made in process (none on PostgreSQL: a worker makes them).
   */
  tick(): Promise<ScheduleRunRow[]>;
  /** Starts ticking every `TICK_MS` (or `intervalMs`). */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
};

export function createScheduler(deps: ApiContext, opts: { owner?: string } = {}): Scheduler {
  const owner = opts.owner ?? `scheduler:${randomUUID()}`;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<ScheduleRunRow[]> | null = null;
  const queue = deps.store.postgres ? jobQueueOf(deps).scheduleRuns : null;

  /** A pg-boss worker's run: the tenant's schedule as it is now, unless it was turned off since it was sent. */
  async function runSent(job: ScheduleRunJob): Promise<void> {
    const s = (await deps.repos.tenants.get(job.tenantId))?.settings.schedule;
    if (!s?.enabled) return;
    await runSchedule(deps, job.tenantId, job.slot, s, owner);
  }

  async function dueNow(): Promise<ScheduleRunRow[]> {
    const now = deps.now();
    const ran: ScheduleRunRow[] = [];
    for (const tenant of await deps.repos.tenants.list()) {
      const s = tenant.settings.schedule;
      if (!s?.enabled) continue;
      const slot = dueSlot(now, s);
      // An instant before the schedule was saved is not this schedule's (no run fires on saving it).
      if (slot < s.since) continue;
      const made = await deps.repos.scheduleRuns.get(tenant.id, slot);
      if (made && (made.state !== 'running' || Date.parse(made.startedAt) > now.getTime() - RUN_STALE_MS)) {
        continue;
      }
      if (queue) {
        // The first try, or a take-over of a run whose process died: one job per try in the whole cluster.
        await queue.send({ tenantId: tenant.id, slot }, made ? `after ${made.startedAt}` : 'first');
        continue;
      }
      const run = await runSchedule(deps, tenant.id, slot, s, owner);
      if (run) ran.push(run);
    }
    return ran;
  }

  // One tick at a time in a process: a slow run is not started again by the next tick.
  function tick(): Promise<ScheduleRunRow[]> {
    if (!running) {
      running = (queue ? queue.work(runSent) : Promise.resolve())
        .then(dueNow)
        .catch((err: unknown) => {
          deps.logger.error('scheduler tick failed', { error: String((err as Error)?.stack ?? err) });
          return [];
        })
        .finally(() => {
          running = null;
        });
    }
    return running;
  }

  return {
    owner,
    tick,
    start(intervalMs = TICK_MS) {
      if (timer) return;
      // On PostgreSQL this process runs scheduled runs sent by any process, from now on.
      queue?.work(runSent).catch((err: unknown) => {
        deps.logger.error('scheduler could not join the job queue', { error: String(err) });
      });
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (running) await running;
    },
  };
}
