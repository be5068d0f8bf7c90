// One item of a bulk job, run once: a subscription's saved plan applied through the single path (same lock,
// journal, idempotency keys and unknown-outcome rules), or one reversal of an undo. What to do when it throws:
// wait and run it again (the outcome of a write is unknown, the lock is held, ConnectWise is busy or down), or
// record the refusal.
import { AppError, isAppError } from '../errors.ts';
import { type ApplyContext, applyPlan } from '../sync/apply.ts';
import { applyUndoLine, type UndoLine } from '../sync/bulk-undo.ts';
import type { Limits } from '../sync/limits.ts';
import type { ApplyResult, PlanBody } from '../sync/plan-types.ts';
import type { StoredPlan, SyncStore, SyncUpstream } from '../sync/ports.ts';

export type ApplyItemPayload = { type: 'apply'; plan: StoredPlan; ignore: string[] };
export type UndoItemPayload = { type: 'undo'; line: UndoLine };
export type ItemPayload = ApplyItemPayload | UndoItemPayload;

export type ItemResult =
  | { type: 'apply'; result: ApplyResult }
  | { type: 'undo'; outcome: 'reversed' | 'already'; additionId: number };

export type ItemContext = {
  store: SyncStore;
  upstream: SyncUpstream;
  now: () => Date;
  actor: { memberId: string; memberName: string };
  limits: Limits;
  /** The runner and job: the lock owner, so a resumed job waits out a dead runner's lock. */
  owner: string;
  jobId: string;
};

/** A confirmed job's plans stay applicable: they were confirmed before they expired, and apply re-checks them. */
const CONFIRMED_PLAN_EXPIRY = '9999-12-31T00:00:00.000Z';

export async function runItem(ctx: ItemContext, seq: number, payload: ItemPayload): Promise<ItemResult> {
  if (payload.type === 'undo') {
    const lockKey = `sync:subscription:${payload.line.subscriptionId}`;
    const owner = `${ctx.owner}:${ctx.jobId}:${seq}`;
    if (!(await ctx.store.acquireLock(lockKey, owner, 120_000))) {
      throw new AppError('conflict', 'Another sync of this subscription is in progress');
    }
    try {
      const outcome = await applyUndoLine({ ...ctx, jobId: ctx.jobId }, payload.line);
      return { type: 'undo', outcome, additionId: payload.line.additionId };
    } finally {
      await ctx.store.releaseLock(lockKey, owner);
    }
  }
  const applyCtx: ApplyContext = {
    store: ctx.store,
    upstream: ctx.upstream,
    now: ctx.now,
    actor: ctx.actor,
    requestId: `${ctx.owner}:${ctx.jobId}:${seq}`,
    limits: ctx.limits,
  };
  const plan = { ...payload.plan, expiresAt: CONFIRMED_PLAN_EXPIRY };
  const result = await applyPlan(applyCtx, plan, payload.ignore);
  const choice = (plan.body as PlanBody).priceChoice;
  if (choice !== undefined) await ctx.store.rememberPrice?.(plan.subscriptionId, choice, ctx.actor.memberId);
  return { type: 'apply', result };
}

/** Transient failures an item is run again after (with backoff); past this it is recorded as failed. */
export const MAX_TRANSIENT_ATTEMPTS = 12;

export type Next = { retryAt: Date; counts: boolean } | { failed: { code: string; message: string } };

const backoffMs = (attempts: number) => Math.min(1000 * 2 ** attempts, 60_000);

/** What to do after an item threw: run it again at `retryAt`, or record it as failed. */
export function nextAfter(err: unknown, attempts: number, now: Date): Next {
  if (!isAppError(err)) return { failed: { code: 'internal', message: 'The item failed unexpectedly' } };
  const details = (err.details ?? {}) as { retryAfter?: unknown };
  switch (err.code) {
    case 'write_outcome_unknown': {
      // Not a failure: the write is settled by a read after it can no longer land (outcome.ts).
      const at = typeof details.retryAfter === 'string' ? Date.parse(details.retryAfter) : Number.NaN;
      return { retryAt: new Date(Number.isNaN(at) ? now.getTime() + 5_000 : at), counts: false };
    }
    case 'conflict':
      // The subscription's lock (another apply, or a dead runner's until it runs out).
      return { retryAt: new Date(now.getTime() + 5_000), counts: false };
    case 'rate_limited':
    case 'upstream_unavailable': {
      if (attempts + 1 >= MAX_TRANSIENT_ATTEMPTS) return { failed: { code: err.code, message: err.message } };
      const retryAfterMs = retryAfterOf(err);
      return { retryAt: new Date(now.getTime() + (retryAfterMs ?? backoffMs(attempts))), counts: true };
    }
    default:
      return { failed: { code: err.code, message: err.message } };
  }
}

/** A Retry-After ConnectWise gave beyond what its client sleeps through in one call (http.ts), in ms. */
function retryAfterOf(err: AppError): number | undefined {
  const ms = (err as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
}
