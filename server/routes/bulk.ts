// /api/bulk: a combined review of many subscriptions (plan), a job that applies it server-side (jobs), its
// progress and per-line results, and the review and job that undo a finished batch.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { jsonBody, parseOrThrow } from '../http/validate.ts';
import type { ItemPayload, ItemResult } from '../jobs/bulk-items.ts';
import { jobQueueOf, startJob } from '../jobs/queue.ts';
import type { BulkItemRow, BulkJobRow } from '../store/index.ts';
import { type BulkPlanBody, makeBulkPlan } from '../sync/bulk-plan.ts';
import { planUndo, type UndoPlanBody } from '../sync/bulk-undo.ts';
import { limitsOf } from '../sync/limits.ts';
import { PLAN_TTL_MS } from '../sync/plan.ts';
import type { SyncContext } from '../sync-context.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { CwIdNumberSchema } from './sync-schemas.ts';

/** The most subscriptions one review takes (the board's "everything out of step" on a large tenant). */
export const MAX_BULK_ITEMS = 2_000;
/** Subscriptions planned at once for one review. */
const PLAN_CONCURRENCY = 4;

export const BulkPlanRequestSchema = v.strictObject({
  items: v.pipe(
    v.array(
      v.strictObject({
        subscriptionId: v.pipe(v.string(), v.uuid('subscriptionId must be a Pax8 subscription id (uuid)')),
        agreementId: CwIdNumberSchema,
      }),
    ),
    v.minLength(1, 'choose at least one subscription'),
    v.maxLength(MAX_BULK_ITEMS, `at most ${MAX_BULK_ITEMS} subscriptions in one review`),
  ),
});

const IdSchema = v.pipe(v.string(), v.uuid('must be an id (uuid)'));
/** A poll's cursor: the `cursor` of the job's last answer (its change counter). */
const CursorSchema = v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'must be the cursor of an earlier answer'));

export const BulkJobRequestSchema = v.strictObject({
  planId: IdSchema,
  ignoredLineIds: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(600))), v.maxLength(20_000))),
  confirmBelowMarginFloor: v.optional(v.boolean()),
});

export function bulkRoutes(deps: ApiContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .post('/plan', async (c) => {
      const body = await jsonBody(c, BulkPlanRequestSchema);
      const session = c.var.session;
      const ctx = await syncContextOf(deps, session);
      const settings = ctx.tenant.settings;
      const plan = await makeBulkPlan(
        {
          store: ctx.store,
          upstream: ctx.upstream,
          now: deps.now,
          memberId: session.memberId,
          newId: randomUUID,
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
        body.items,
      );
      const saved = await ctx.repos.bulkJobs.savePlan(ctx.tenant.id, {
        memberId: session.memberId,
        kind: 'apply',
        body: plan,
        ttlMs: PLAN_TTL_MS,
      });
      return c.json({ planId: saved.id, expiresAt: saved.expiresAt, ...plan });
    })
    .post('/jobs', async (c) => {
      const body = await jsonBody(c, BulkJobRequestSchema);
      const session = c.var.session;
      const ctx = await syncContextOf(deps, session);
      const saved = await ctx.repos.bulkJobs.getPlan(ctx.tenant.id, body.planId);
      if (!saved) throw new AppError('not_found', 'No such review (it may belong to another tenant)');
      const actor = { memberId: session.memberId, memberName: session.memberName };
      const source =
        saved.kind === 'undo' ? `undo:${(saved.body as UndoPlanBody).ofJobId}` : `plan:${saved.id}`;
      // A re-confirm (double click, retry, reopened page) finds the job already made: nothing is written twice.
      const existing = await ctx.repos.bulkJobs.bySource(ctx.tenant.id, source);
      // A confirmed review approves the scheduled sync's to-dos it writes (an undo approves none).
      const approve = (jobId: string) =>
        saved.kind === 'undo'
          ? Promise.resolve()
          : approveTodos(ctx, saved.body as BulkPlanBody, body.ignoredLineIds ?? [], jobId, session.memberId);
      if (existing) {
        // The first confirm may have died before it approved the to-dos: approving again closes only what is open.
        await approve(existing.id);
        return c.json(await progressOf(ctx, existing), 200);
      }
      if (Date.parse(saved.expiresAt) <= deps.now().getTime()) {
        throw new AppError(
          'plan_expired',
          'This review has expired: review again to see the current figures',
          {
            details: { planId: saved.id, expiresAt: saved.expiresAt },
          },
        );
      }
      const items =
        saved.kind === 'undo'
          ? (saved.body as UndoPlanBody).lines.map((line) => ({
              payload: { type: 'undo', line } as ItemPayload,
            }))
          : await applyItems(
              ctx,
              saved.body as BulkPlanBody,
              body.ignoredLineIds ?? [],
              body.confirmBelowMarginFloor,
            );
      const { job } = await startJob(deps, ctx.tenant.id, { kind: saved.kind, source, ...actor, items });
      await approve(job.id);
      return c.json(await progressOf(ctx, job), 202);
    })
    .get('/jobs/:id', async (c) => {
      const id = parseOrThrow(IdSchema, c.req.param('id'), 'job id');
      const sinceText = c.req.query('since');
      const since =
        sinceText === undefined ? undefined : Number(parseOrThrow(CursorSchema, sinceText, 'since'));
      const ctx = await syncContextOf(deps, c.var.session);
      const job = await ctx.repos.bulkJobs.get(ctx.tenant.id, id);
      if (!job) throw new AppError('not_found', 'No such job (it may belong to another tenant)');
      // A job whose runner died resumes on the next look at it (its lease permitting).
      if (job.state !== 'done') await jobQueueOf(deps).send(ctx.tenant.id, job.id);
      return c.json(await progressOf(ctx, job, since));
    })
    .post('/jobs/:id/undo-plan', async (c) => {
      const id = parseOrThrow(IdSchema, c.req.param('id'), 'job id');
      const session = c.var.session;
      const ctx = await syncContextOf(deps, session);
      const job = await ctx.repos.bulkJobs.get(ctx.tenant.id, id);
      if (!job) throw new AppError('not_found', 'No such job (it may belong to another tenant)');
      if (job.kind !== 'apply') throw new AppError('bad_request', 'An undo cannot itself be undone');
      if (job.state !== 'done') throw new AppError('conflict', 'This batch is still being applied');
      const sources = (await ctx.repos.bulkJobs.items(ctx.tenant.id, id)).flatMap((i) => {
        const p = i.payload as ItemPayload;
        return p.type === 'apply'
          ? [{ subscriptionId: p.plan.subscriptionId, agreementId: p.plan.agreementId, planId: p.plan.id }]
          : [];
      });
      const names = new Map<number, string>();
      for (const agreementId of new Set(sources.map((s) => s.agreementId))) {
        const a = await ctx.upstream.getAgreement(agreementId);
        if (a) names.set(agreementId, `${a.company.name} / ${a.name}`);
      }
      const lines = await planUndo(ctx, sources, names);
      const body: UndoPlanBody = { kind: 'undo', ofJobId: id, lines };
      const saved = await ctx.repos.bulkJobs.savePlan(ctx.tenant.id, {
        memberId: session.memberId,
        kind: 'undo',
        body,
        ttlMs: PLAN_TTL_MS,
      });
      return c.json({
        planId: saved.id,
        expiresAt: saved.expiresAt,
        ofJobId: id,
        lines: lines.map(({ after: _a, restore: _r, journalId: _j, ...shown }) => shown),
      });
    });
}

/**
 * The tenant's margin floor in percent, when one is set (issue 11 item 5 owns the setting, `marginFloorPercent`
 * in the tenant settings); none until then.
 */
export function marginFloorOf(settings: object): number | null {
  const floor = (settings as { marginFloorPercent?: unknown }).marginFloorPercent;
  return typeof floor === 'number' && Number.isFinite(floor) ? floor : null;
}

/**
 * A confirmed review approves the scheduled sync's open to-dos it writes: those of each subscription and
 * agreement with a line the member kept (a to-do whose lines were all ignored stays open).
 */
async function approveTodos(
  ctx: SyncContext,
  plan: BulkPlanBody,
  ignoredLineIds: readonly string[],
  jobId: string,
  memberId: string,
): Promise<void> {
  const ignored = new Set(ignoredLineIds);
  const kept = new Set(
    plan.groups
      .flatMap((g) => g.lines)
      .filter((l) => !ignored.has(l.id))
      .map((l) => l.seq),
  );
  const pairs = plan.items
    .filter((i) => kept.has(i.seq))
    .map((i) => ({ subscriptionId: i.subscriptionId, agreementId: i.agreementId }));
  const ids = await ctx.repos.scheduleRuns.approveFor(ctx.tenant.id, pairs);
  if (ids.length === 0) return;
  await ctx.repos.audit.append(ctx.tenant.id, {
    actor: memberId,
    action: 'schedule.todos.approved',
    target: `tenant:${ctx.tenant.id}`,
    before: null,
    after: { ids, closed: ids.length, jobId },
  });
}

/** The job's items from a review: each plan as it was confirmed, with the member's ignored lines. */
async function applyItems(
  ctx: SyncContext,
  plan: BulkPlanBody,
  ignoredLineIds: readonly string[],
  confirmBelowMarginFloor: boolean | undefined,
) {
  const lines = plan.groups.flatMap((g) => g.lines);
  const known = new Set(lines.map((l) => l.id));
  const unknown = ignoredLineIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new AppError(
      'bad_request',
      `ignoredLineIds names lines this review does not have: ${unknown.slice(0, 3).join(', ')}`,
      {
        details: { unknown: unknown.slice(0, 20) },
      },
    );
  }
  const ignored = new Set(ignoredLineIds);
  const below = lines.filter((l) => l.belowMarginFloor && !ignored.has(l.id));
  if (below.length > 0 && confirmBelowMarginFloor !== true) {
    throw new AppError(
      'bad_request',
      `${below.length} line(s) are below the margin floor of ${plan.marginFloorPercent} %: confirm them (confirmBelowMarginFloor) or ignore them`,
      { details: { lineIds: below.map((l) => l.id) } },
    );
  }
  const items: { payload: ItemPayload }[] = [];
  for (const item of plan.items) {
    const stored = await ctx.store.getPlan(item.planId);
    if (!stored) throw new AppError('not_found', `The plan of subscription ${item.subscriptionId} is gone`);
    const ignore = lines.filter((l) => l.seq === item.seq && ignored.has(l.id)).map((l) => l.key);
    items.push({ payload: { type: 'apply', plan: stored, ignore } });
  }
  return items;
}

type LineResult = { id: string; key: string; state: string; additionId: number | null; message?: string };

/**
 * The job as the page shows it: counts for the progress bar, and each item's lines with their result; with
 * `since` (a poll's cursor) only the items changed after it. `cursor` is the job's change counter as read
 * before its items, so the next poll's `since` misses nothing (an item changed meanwhile may come twice).
 */
export async function progressOf(ctx: SyncContext, job: BulkJobRow, since?: number) {
  const jobs = ctx.repos.bulkJobs;
  const counts = await jobs.stateCounts(ctx.tenant.id, job.id);
  const items = await jobs.items(ctx.tenant.id, job.id, since);
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    total: job.total,
    done: counts.done,
    failed: counts.failed,
    waiting: counts.waiting,
    finished: counts.done + counts.failed,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    cursor: String(job.rev),
    items: items.map(itemView),
  };
}

function itemView(item: BulkItemRow) {
  const payload = item.payload as ItemPayload;
  const result = item.result as ItemResult | null;
  const error = item.error as { code: string; message: string } | null;
  if (payload.type === 'undo') {
    const line = payload.line;
    return {
      seq: item.seq,
      state: item.state,
      subscriptionId: line.subscriptionId,
      agreementId: line.agreementId,
      error,
      lines: [
        {
          id: line.id,
          key: line.key,
          state: item.state === 'done' ? (result?.type === 'undo' ? result.outcome : 'reversed') : item.state,
          additionId: line.additionId,
          ...(error && item.state !== 'done' ? { message: error.message } : {}),
        },
      ],
    };
  }
  const body = payload.plan.body as { writes: { key: string; action: string }[] };
  const applied = new Map(
    result?.type === 'apply' ? result.result.applied.map((a) => [a.key, a.additionId] as const) : [],
  );
  const skipped = new Map(
    result?.type === 'apply' ? result.result.skipped.map((s) => [s.key, s.reason] as const) : [],
  );
  const lines: LineResult[] = body.writes
    .filter((w) => w.action !== 'none')
    .map((w) => {
      const id = `${item.seq}:${w.key}`;
      if (applied.has(w.key))
        return { id, key: w.key, state: 'done', additionId: applied.get(w.key) ?? null };
      if (skipped.has(w.key))
        return { id, key: w.key, state: skipped.get(w.key) as string, additionId: null };
      return {
        id,
        key: w.key,
        state: item.state,
        additionId: null,
        ...(error ? { message: error.message } : {}),
      };
    });
  return {
    seq: item.seq,
    state: item.state,
    subscriptionId: payload.plan.subscriptionId,
    agreementId: payload.plan.agreementId,
    error,
    lines,
  };
}
