// One scheduled sync run, told as a story: claim the (tenant, due instant) so it runs once in a cluster; read and
// judge everything as the board does; plan every subscription out of step as the bulk review does; let the
// tenant's rules pick the lines safe to write alone and hand those to the bulk job runner (journaled,
// idempotent, resumable); file every other line as the board's to-do list with its money and reason; and leave
// a summary of what was proposed, applied and refused, and why.
import { randomUUID } from 'node:crypto';
import { type Cents, formatCents, toCents } from '../billing/money.ts';
import { isOutOfStep } from '../board/compute.ts';
import { readBoard, readCosts } from '../board/reads.ts';
import { isAppError } from '../errors.ts';
import type { ItemPayload } from '../jobs/bulk-items.ts';
import { startJob } from '../jobs/queue.ts';
import { marginFloorOf } from '../routes/bulk.ts';
import type { ApiContext } from '../routes/deps.ts';
import type { NewTodo, ScheduleRunRow, ScheduleSettings } from '../store/index.ts';
import { type BulkLine, makeBulkPlan } from '../sync/bulk-plan.ts';
import { limitsOf } from '../sync/limits.ts';
import type { PlanBody } from '../sync/plan-types.ts';
import { tenantSyncContext } from '../sync-context.ts';
import { classifyLine } from './rules.ts';

/** Who a scheduled run writes as, in the journal and the audit. */
export const SCHEDULE_ACTOR = { memberId: 'schedule', memberName: 'Scheduled sync' } as const;
/**
 * A run still 'running' this long after it started is taken to be dead (its process crashed mid-plan) and is
 * run again by the next tick of any process: its to-do list is filed again and its job, made from the same
 * source, is found rather than made twice.
 */
export const RUN_STALE_MS = 30 * 60_000;
/** Subscriptions planned at once (each reads both upstreams). */
const PLAN_CONCURRENCY = 4;
/** A scheduled run's plans outlive a working day, so a to-do approved later re-plans anyway (fresh figures). */
const SCHEDULE_PLAN_TTL_MS = 24 * 3_600_000;

export type MoneyCount = { lines: number; price: string };
export type RunRefusal = {
  subscriptionId: string;
  agreementId: number | null;
  code: string;
  message: string;
};
export type RunSummary = {
  checked: number;
  outOfStep: number;
  proposed: MoneyCount;
  autoApplied: MoneyCount & { lines: number; rules: string[] };
  waiting: MoneyCount;
  refused: RunRefusal[];
  statement: string;
};

const sum = (lines: readonly Pick<BulkLine, 'totalPrice'>[]): MoneyCount => ({
  lines: lines.length,
  price: formatCents(lines.reduce((s: Cents, l) => s + toCents(l.totalPrice, 'totalPrice'), 0)),
});

/** Runs the tenant's schedule for `slot` unless another process (or tick) already did: null then. */
export async function runSchedule(
  deps: ApiContext,
  tenantId: string,
  slot: string,
  schedule: Pick<ScheduleSettings, 'recurringSeatsBelow' | 'proratesUnderCents'>,
  owner: string,
): Promise<ScheduleRunRow | null> {
  const runs = deps.repos.scheduleRuns;
  const staleBefore = new Date(deps.now().getTime() - RUN_STALE_MS).toISOString();
  const run =
    (await runs.claim(tenantId, slot, owner)) ?? (await runs.takeOver(tenantId, slot, owner, staleBefore));
  if (!run) return null;
  try {
    const { summary, jobId } = await planAndFile(deps, tenantId, run.id, schedule);
    await runs.finish(tenantId, run.id, { state: 'done', jobId, summary });
    return { ...run, state: 'done', jobId, summary };
  } catch (err) {
    const message = isAppError(err) ? err.message : 'an unexpected error (see the server log)';
    deps.logger.error('scheduled sync failed', {
      tenantId,
      slot,
      error: String((err as Error)?.stack ?? err),
    });
    await runs.finish(tenantId, run.id, { state: 'failed', jobId: null, summary: { error: message } });
    return { ...run, state: 'failed', summary: { error: message } };
  }
}

async function planAndFile(
  deps: ApiContext,
  tenantId: string,
  runId: string,
  rules: Pick<ScheduleSettings, 'recurringSeatsBelow' | 'proratesUnderCents'>,
): Promise<{ summary: RunSummary; jobId: string | null }> {
  const sc = await tenantSyncContext(deps, tenantId);
  const now = deps.now();
  const settings = sc.tenant.settings;
  // The board's own read and judgement, fresh: a run never acts on a kept board computed hours ago.
  const read = await readBoard(sc, {
    now,
    scope: 'all',
    costs: await readCosts(sc, now.toISOString().slice(0, 10)),
    names: new Map(),
  });
  const rows = [...read.byCompany.values()].flatMap((c) => c.rows);
  const outOfStep = rows.filter(isOutOfStep);
  const refused: RunRefusal[] = outOfStep
    .filter((r) => r.agreementId === null)
    .map((r) => ({
      subscriptionId: r.subscriptionId,
      agreementId: null,
      code: r.status,
      message: r.message,
    }));
  const requests = outOfStep.flatMap((r) =>
    r.agreementId === null ? [] : [{ subscriptionId: r.subscriptionId, agreementId: r.agreementId }],
  );
  const plan = await makeBulkPlan(
    {
      store: sc.store,
      upstream: sc.upstream,
      now: deps.now,
      memberId: SCHEDULE_ACTOR.memberId,
      newId: randomUUID,
      ttlMs: SCHEDULE_PLAN_TTL_MS,
      defaults: {
        defaultMode: settings.updateOrCreate,
        limits: limitsOf(settings),
        options: {
          threshold: settings.threshold,
          countChangeDay: settings.countChangeDay,
          lookbackMonths: settings.lookbackMonths,
        },
      },
      marginFloorPercent: marginFloorOf(settings),
      concurrency: PLAN_CONCURRENCY,
    },
    requests,
  );
  for (const r of plan.refused) refused.push(r);

  const lines = plan.groups.flatMap((g) => g.lines);
  const auto: BulkLine[] = [];
  const autoRules = new Set<string>();
  const todos: NewTodo[] = [];
  const jobItems: { payload: ItemPayload }[] = [];
  for (const item of plan.items) {
    const stored = await sc.store.getPlan(item.planId);
    if (!stored) throw new Error(`the plan of subscription ${item.subscriptionId} was not kept`);
    const writes = new Map((stored.body as PlanBody).writes.map((w) => [w.key, w]));
    const waiting: string[] = [];
    for (const line of lines.filter((l) => l.seq === item.seq)) {
      const verdict = classifyLine(line, writes.get(line.key), rules);
      if (verdict.auto) {
        auto.push(line);
        autoRules.add(verdict.rule);
      } else {
        waiting.push(line.key);
        todos.push({
          subscriptionId: item.subscriptionId,
          agreementId: item.agreementId,
          line,
          reason: verdict.reason,
        });
      }
    }
    // The subscription's plan, applied with every line a person must see ignored (the bulk review's ignore).
    if (waiting.length < lines.filter((l) => l.seq === item.seq).length) {
      jobItems.push({ payload: { type: 'apply', plan: stored, ignore: waiting } });
    }
  }

  await deps.repos.scheduleRuns.fileTodos(tenantId, runId, todos);
  let jobId: string | null = null;
  if (jobItems.length > 0) {
    // Through the job queue: in process on SQLite, pg-boss on PostgreSQL (the job outlives this process).
    const { job } = await startJob(deps, tenantId, {
      kind: 'apply',
      source: `schedule:${runId}`,
      ...SCHEDULE_ACTOR,
      items: jobItems,
    });
    jobId = job.id;
  }

  const proposed = sum(lines);
  const autoApplied = { ...sum(auto), rules: [...autoRules] };
  const waiting = sum(todos.map((t) => t.line as BulkLine));
  return {
    jobId,
    summary: {
      checked: rows.length,
      outOfStep: outOfStep.length,
      proposed,
      autoApplied,
      waiting,
      refused,
      statement:
        `${proposed.lines} line(s) proposed ($${proposed.price}); ${autoApplied.lines} auto-applied ` +
        `($${autoApplied.price}); ${waiting.lines} waiting for a person ($${waiting.price}); ` +
        `${refused.length} subscription(s) refused`,
    },
  };
}
