// The scheduler: a tick looks at every tenant whose scheduled sync is on, works out the latest due instant on
// the injected clock (the sandbox clock in sandbox mode, so moving it makes a run due), and runs it unless it
// has run. Every process of a cluster ticks; the run's unique (tenant, instant) row lets one of them run it.
// Missed instants are not replayed: after a pause (or a clock moved days ahead) only the latest one runs.
import { randomUUID } from 'node:crypto';
import type { ApiContext } from '../routes/deps.ts';
import type { ScheduleRunRow } from '../store/index.ts';
import { dueSlot } from './due.ts';
import { RUN_STALE_MS, runSchedule } from './run.ts';

/** How often a process looks for a due run (a run starts at most this late). */
export const TICK_MS = 30_000;

export type Scheduler = {
  readonly owner: string;
  /** Runs what is due now; resolves with the runs this process made. */
  tick(): Promise<ScheduleRunRow[]>;
  /** Starts ticking every `TICK_MS` (or `intervalMs`). */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
};

export function createScheduler(deps: ApiContext, opts: { owner?: string } = {}): Scheduler {
  const owner = opts.owner ?? `scheduler:${randomUUID()}`;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<ScheduleRunRow[]> | null = null;

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
      const run = await runSchedule(deps, tenant.id, slot, s, owner);
      if (run) ran.push(run);
    }
    return ran;
  }

  // One tick at a time in a process: a slow run is not started again by the next tick.
  function tick(): Promise<ScheduleRunRow[]> {
    if (!running) {
      running = dueNow()
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
