// Applies a saved plan: per-subscription lock, journal before every send, recovery after a crash,
// and a check that nobody edited an addition by hand since planning. Safe to run twice.
// A write whose outcome is unknown (outcome.ts) is never sent again until a later read of ConnectWise,
// made after the write could still land, shows it is not there.
import { AppError, isAppError } from '../errors.ts';
import { countUnknownOutcomeWrite, countWrite } from '../metrics.ts';
import { alreadyApplied, changedFields, inputOf, patchOf, type Seen, settle } from './apply-recover.ts';
import { recovered, settleOpen } from './apply-settle.ts';
import { checkWrites, defaultLimits, type Limits } from './limits.ts';
import { markerFor, withMarker } from './marker.ts';
import { isOpen, isWriteOutcomeUnknown, outcomeUnknown, UNKNOWN_OUTCOME_WINDOW_MS } from './outcome.ts';
import type { AppliedWrite, ApplyResult, PlanBody, PlannedWrite } from './plan-types.ts';
import type { JournalRow, StoredPlan, SyncAddition, SyncStore, SyncUpstream } from './ports.ts';
import { IGNORED_PREFIX, owedWhenIgnored } from './view-ignored.ts';

export { changedFields, inputOf, matchesMarker } from './apply-recover.ts';

export type ApplyContext = {
  store: SyncStore;
  upstream: SyncUpstream;
  now: () => Date;
  actor: { memberId: string; memberName: string };
  /** Unique per request: the lock owner. */
  requestId: string;
  lockTtlMs?: number;
  /** The tenant's sanity limits, re-checked on the stored plan (spec §9). */
  limits?: Limits;
};

/** Long enough for a few slow writes; each write extends it. */
export const LOCK_TTL_MS = 120_000;
const lockKeyOf = (subscriptionId: string) => `sync:subscription:${subscriptionId}`;

export async function applyPlan(
  ctx: ApplyContext,
  plan: StoredPlan,
  ignore: readonly string[],
): Promise<ApplyResult> {
  if (Date.parse(plan.expiresAt) <= ctx.now().getTime()) {
    throw new AppError('plan_expired', 'This plan has expired: plan again to see the current figures', {
      details: { planId: plan.id, expiresAt: plan.expiresAt },
    });
  }
  const body = plan.body as PlanBody;
  // The stored plan is checked again: it may have been made before a limit was lowered (or existed).
  checkWrites(
    body.writes.filter((w) => !ignore.includes(w.key)),
    ctx.limits ?? defaultLimits,
  );
  const lockKey = lockKeyOf(body.subscriptionId);
  const locked = await ctx.store.acquireLock(lockKey, ctx.requestId, ctx.lockTtlMs ?? LOCK_TTL_MS);
  if (!locked) {
    throw new AppError(
      'conflict',
      'Another sync of this subscription is in progress; try again in a moment',
      {
        details: { subscriptionId: body.subscriptionId },
      },
    );
  }
  try {
    return await applyLocked(ctx, plan, body, new Set(ignore));
  } finally {
    await ctx.store.releaseLock(lockKey, ctx.requestId);
  }
}

async function applyLocked(ctx: ApplyContext, plan: StoredPlan, body: PlanBody, ignore: Set<string>) {
  const { store, upstream } = ctx;
  const result: ApplyResult = { applied: [], skipped: [] };
  const todo: PlannedWrite[] = [];
  const journal = new Map(
    (await store.journalForSubscriptions([body.subscriptionId])).map((r) => [r.idempotencyKey, r]),
  );
  for (const write of body.writes) {
    if (write.action === 'none') result.skipped.push({ key: write.key, reason: 'nothing_to_do' });
    else if (ignore.has(write.key)) result.skipped.push({ key: write.key, reason: 'ignored' });
    else todo.push(write);
  }
  await recordIgnoredProrates(store, plan, body, ignore);
  const pending = todo.filter((w) => {
    const row = journal.get(w.key);
    // A write done by an earlier plan is checked too: a created addition may have been deleted since, and an
    // update's key names the figures it sets, so a quantity that came back (2 → 3 → 2 → 3) reuses a done key.
    return row?.state !== 'done' || row.planId !== plan.id;
  });
  // Writes of this subscription on this agreement that were sent with no answer (any plan, any process).
  const open = [...journal.values()].filter((r) => isOpen(r) && r.agreementId === body.agreementId);
  // One read of the agreement: the hand-edit check, the marker search for recovery, and the unknown writes.
  const readAt = ctx.now();
  const additions =
    pending.length > 0 || open.length > 0 ? await upstream.listAdditions(body.agreementId) : [];
  const seen: Seen = {
    byId: new Map(additions.map((a) => [a.id, a])),
    additions,
    doneIds: new Set([...journal.values()].map((r) => r.cwAdditionId).filter((id) => id !== null)),
    readAt,
  };

  await settleOpen(ctx, plan, body, open, seen, journal);

  for (const write of pending) {
    if (write.action === 'create' || write.additionId === undefined || !write.expected) continue;
    const additionId = Number(write.additionId);
    const current = seen.byId.get(additionId);
    if (!current) throw changed(additionId, ['deleted']);
    if (journal.get(write.key) && alreadyApplied(write, current)) continue;
    const fields = changedFields(write.expected, current);
    if (fields.length > 0) throw changed(additionId, fields);
  }

  for (const write of todo) {
    // Re-taking our own lock extends it, so a long apply never outlives its lock mid-write.
    if (
      !(await store.acquireLock(lockKeyOf(body.subscriptionId), ctx.requestId, ctx.lockTtlMs ?? LOCK_TTL_MS))
    ) {
      throw new AppError('conflict', 'The sync lock was lost to another apply; try again', {
        details: { subscriptionId: body.subscriptionId },
      });
    }
    let applied: AppliedWrite;
    try {
      applied = await applyOne(ctx, plan, body, write, seen);
    } catch (err) {
      // Say which writes did go through before the one whose outcome is unknown.
      if (isAppError(err) && err.code === 'write_outcome_unknown') {
        const details = err.details as { retryAfter: string };
        throw outcomeUnknown(body.subscriptionId, new Date(details.retryAfter), {
          ...details,
          applied: result.applied,
        });
      }
      throw err;
    }
    result.applied.push(applied);
    if (applied.additionId !== null) seen.doneIds.add(applied.additionId);
  }
  return result;
}

/** An ignored prorate or back-bill is journaled as 'ignored' (key `ignored:<write key>`) so the views say it is owed (view-ignored.ts). */
async function recordIgnoredProrates(
  store: SyncStore,
  plan: StoredPlan,
  body: PlanBody,
  ignore: Set<string>,
) {
  for (const write of body.writes) {
    if (!ignore.has(write.key) || !owedWhenIgnored(write)) continue;
    await store.recordIgnored?.({
      idempotencyKey: `${IGNORED_PREFIX}${write.key}`,
      planId: plan.id,
      subscriptionId: body.subscriptionId,
      agreementId: body.agreementId,
      kind: write.kind,
      action: write.action,
      request: write,
      changeKey: null,
    });
  }
}

/** A write an earlier plan did that this read of ConnectWise no longer shows: a deleted create, or an update or
 * cancel whose figures the addition no longer has (a later write changed them). This plan's own writes stand. */
function undoneSince(row: JournalRow, plan: StoredPlan, write: PlannedWrite, seen: Seen): boolean {
  if (row.planId === plan.id) return false;
  if (write.action === 'create') return row.cwAdditionId !== null && !seen.byId.has(row.cwAdditionId);
  const current = seen.byId.get(Number(write.additionId));
  return current === undefined || !alreadyApplied(write, current);
}

function changed(additionId: number, fields: string[]): AppError {
  return new AppError(
    'agreement_changed',
    `Addition ${additionId} was changed in ConnectWise since this plan was made (${fields.join(', ')}); plan again`,
    { details: { additionId, fields } },
  );
}

async function applyOne(
  ctx: ApplyContext,
  plan: StoredPlan,
  body: PlanBody,
  write: PlannedWrite,
  seen: Seen,
): Promise<AppliedWrite> {
  const { store, upstream } = ctx;
  const out = (additionId: number | null): AppliedWrite => ({
    key: write.key,
    kind: write.kind,
    action: write.action,
    additionId,
  });
  // A create records the additions that existed before it, so a later plan can still recover it.
  const request = write.action === 'create' ? { ...write, knownAdditionIds: body.knownAdditionIds } : write;
  const claimed = await store.claim({
    idempotencyKey: write.key,
    planId: plan.id,
    subscriptionId: body.subscriptionId,
    agreementId: body.agreementId,
    kind: write.kind,
    action: write.action,
    request,
    changeKey: write.changeKey ?? null,
  });
  let { row } = claimed;
  const { created } = claimed;
  // A write a batch undo reversed (bulk-undo.ts) is handed to this plan and written again.
  if (row.state === 'undone') row = await store.reopen(row.id, plan.id, request);
  if (row.state === 'done') {
    if (!undoneSince(row, plan, write, seen)) {
      countWrite(write.kind, 'already_done');
      return out(row.cwAdditionId);
    }
    // An earlier plan's write that ConnectWise no longer shows (its addition deleted, or the figures changed
    // again since): write it again.
    row = await store.reopen(row.id, plan.id, request);
  }

  if (!created) {
    // Claimed before (by this plan or an earlier one) but never marked done: the send may have happened.
    // Look before re-sending. A row sent after our read (another process) waits out its window.
    const s = settle(row, write, { plan, body, seen });
    if ('until' in s) throw outcomeUnknown(body.subscriptionId, s.until, { keys: [write.key] });
    if ('found' in s) {
      await recovered(ctx, plan, body, row, s.found);
      return out(s.found.id);
    }
  }

  // An update re-reads its addition first: edited by hand since planning → 409, nothing sent.
  let before: SyncAddition | null = null;
  if (write.action !== 'create') {
    const id = Number(write.additionId);
    before = await upstream.getAddition(body.agreementId, id);
    if (!before) throw changed(id, ['deleted']);
    if (write.expected) {
      const fields = changedFields(write.expected, before);
      if (fields.length > 0) throw changed(id, fields);
    }
  }

  const sentAt = ctx.now();
  // The addition as it was before this write (null for a create), kept before sending: undoing the batch
  // restores it (bulk-undo.ts), even when the answer to this write is lost.
  await store.markSent(row.id, { ...request, before });
  let after: SyncAddition;
  try {
    after = await send(body, write, before);
  } catch (err) {
    if (isWriteOutcomeUnknown(err)) {
      await store.markUnknown(row.id, err.message);
      countWrite(write.kind, 'unknown');
      countUnknownOutcomeWrite();
      throw outcomeUnknown(body.subscriptionId, new Date(sentAt.getTime() + UNKNOWN_OUTCOME_WINDOW_MS), {
        keys: [write.key],
      });
    }
    await store.markFailed(row.id, err instanceof Error ? err.message : String(err));
    countWrite(write.kind, 'failed');
    throw err;
  }
  await store.markDone(row.id, after.id, after);
  countWrite(write.kind, 'written');
  await store.audit({
    actor: ctx.actor.memberId,
    action: `addition.${write.action}`,
    target: `agreement:${body.agreementId}/addition:${after.id}`,
    before,
    after: { ...after, key: write.key, kind: write.kind, planId: plan.id, memberName: ctx.actor.memberName },
  });
  return out(after.id);

  function send(body: PlanBody, write: PlannedWrite, before: SyncAddition | null): Promise<SyncAddition> {
    const marker = markerFor(body.subscriptionId, write.kind, write.key);
    if (write.action === 'create') {
      const description = withMarker(write.invoiceDescription.slice(0, 60), marker);
      return upstream.createAddition(body.agreementId, { ...inputOf(write), description });
    }
    // An addition adopted by product (made by hand or before markers) gets this subscription's marker.
    const adopt =
      before?.marker?.subscriptionId === body.subscriptionId
        ? {}
        : { description: withMarker(before?.description, marker) };
    return upstream.updateAddition(body.agreementId, Number(write.additionId), {
      ...patchOf(write),
      ...adopt,
    });
  }
}
