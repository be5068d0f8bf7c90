// Applies a saved plan: per-subscription lock, journal before every send, recovery after a crash,
// and a check that nobody edited an addition by hand since planning. Safe to run twice.
import { AppError } from '../errors.ts';
import { countWrite } from '../metrics.ts';
import { markerFor, withMarker } from './marker.ts';
import type { AppliedWrite, ApplyResult, PlanBody, PlannedWrite } from './plan-types.ts';
import type {
  AdditionInput,
  JournalRow,
  StoredPlan,
  SyncAddition,
  SyncStore,
  SyncUpstream,
} from './ports.ts';

export type ApplyContext = {
  store: SyncStore;
  upstream: SyncUpstream;
  now: () => Date;
  actor: { memberId: string; memberName: string };
  /** Unique per request: the lock owner. */
  requestId: string;
  lockTtlMs?: number;
};

/** Long enough for a few slow writes; each write extends it. */
export const LOCK_TTL_MS = 120_000;
const lockKeyOf = (subscriptionId: string) => `sync:subscription:${subscriptionId}`;
const cents = (value: unknown): number => Math.round(Number(value) * 100);
const day = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value.slice(0, 10) : null;

/** The fields of a planned write as an addition body. */
export function inputOf(write: PlannedWrite): AdditionInput {
  return {
    catalogId: Number(write.catalogId),
    quantity: Number(write.quantity),
    unitPrice: Number(write.unitPrice),
    unitCost: Number(write.unitCost),
    effectiveDate: day(write.effectiveDate),
    cancelledDate: day(write.cancelledDate),
    invoiceDescription: write.invoiceDescription,
    billCustomer: write.billCustomer,
    taxable: write.taxable,
  };
}

function patchOf(write: PlannedWrite): Partial<AdditionInput> {
  if (write.action === 'cancel') return { cancelledDate: day(write.cancelledDate) };
  const { catalogId: _c, effectiveDate: _e, ...rest } = inputOf(write);
  return rest;
}

/** Fields of `current` that differ from what the plan saw (`expected`). */
export function changedFields(expected: Record<string, unknown>, current: SyncAddition): string[] {
  const out: string[] = [];
  for (const [field, was] of Object.entries(expected)) {
    const now = (current as Record<string, unknown>)[field];
    if (now === undefined) continue;
    const same =
      field === 'unitPrice' || field === 'unitCost'
        ? cents(was) === cents(now)
        : field === 'effectiveDate' || field === 'cancelledDate'
          ? day(was) === day(now)
          : field === 'quantity'
            ? Number(was) === Number(now)
            : was === now;
    if (!same) out.push(field);
  }
  return out;
}

/** The crash-recovery marker: the same agreement line with the same product, dates, text and figures. */
export function matchesMarker(addition: SyncAddition, input: AdditionInput): boolean {
  return (
    addition.catalogId === input.catalogId &&
    day(addition.effectiveDate) === input.effectiveDate &&
    day(addition.cancelledDate) === input.cancelledDate &&
    addition.invoiceDescription === input.invoiceDescription &&
    addition.quantity === input.quantity &&
    cents(addition.unitPrice) === cents(input.unitPrice)
  );
}

/** True when an update/cancel already took effect (crash after send, before markDone). */
function alreadyApplied(write: PlannedWrite, current: SyncAddition): boolean {
  const patch = patchOf(write) as Record<string, unknown>;
  return changedFields(patch, current).length === 0;
}

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
  const pending = todo.filter((w) => {
    const row = journal.get(w.key);
    // A create done by an earlier plan is checked too: its addition may have been deleted since.
    return row?.state !== 'done' || (w.action === 'create' && row.planId !== plan.id);
  });
  // One read of the agreement: the hand-edit check for every update, and the marker search for recovery.
  const additions = pending.length > 0 ? await upstream.listAdditions(body.agreementId) : [];
  const byId = new Map(additions.map((a) => [a.id, a]));
  const doneIds = new Set([...journal.values()].map((r) => r.cwAdditionId).filter((id) => id !== null));

  for (const write of pending) {
    if (write.action === 'create' || write.additionId === undefined || !write.expected) continue;
    const additionId = Number(write.additionId);
    const current = byId.get(additionId);
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
    const applied = await applyOne(ctx, plan, body, write, { byId, additions, doneIds });
    result.applied.push(applied);
    if (applied.additionId !== null) doneIds.add(applied.additionId);
  }
  return result;
}

function changed(additionId: number, fields: string[]): AppError {
  return new AppError(
    'agreement_changed',
    `Addition ${additionId} was changed in ConnectWise since this plan was made (${fields.join(', ')}); plan again`,
    { details: { additionId, fields } },
  );
}

type Seen = { byId: Map<number, SyncAddition>; additions: SyncAddition[]; doneIds: Set<number> };

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
  if (row.state === 'done') {
    const gone =
      write.action === 'create' &&
      row.planId !== plan.id &&
      row.cwAdditionId !== null &&
      !seen.byId.has(row.cwAdditionId);
    if (!gone) {
      countWrite(write.kind, 'already_done');
      return out(row.cwAdditionId);
    }
    // An earlier plan created this addition and it has since been deleted in ConnectWise: write it again.
    row = await store.reopen(row.id, plan.id, request);
  }

  if (!created) {
    // Claimed before (by this plan or an earlier one) but never marked done: the send may have happened.
    // Look before re-sending.
    const recovered = recover(write, body, plan, row, seen);
    if (recovered) {
      await store.markDone(row.id, recovered.id, recovered);
      countWrite(write.kind, 'recovered');
      return out(recovered.id);
    }
  }

  await store.markSent(row.id);
  let before: SyncAddition | null = null;
  let after: SyncAddition;
  try {
    if (write.action === 'create') {
      const description = withMarker(
        write.invoiceDescription.slice(0, 60),
        markerFor(body.subscriptionId, write.kind, write.key),
      );
      after = await upstream.createAddition(body.agreementId, { ...inputOf(write), description });
    } else {
      const id = Number(write.additionId);
      before = await upstream.getAddition(body.agreementId, id);
      if (!before) throw changed(id, ['deleted']);
      if (write.expected) {
        const fields = changedFields(write.expected, before);
        if (fields.length > 0) throw changed(id, fields);
      }
      // An addition adopted by product (made by hand or before markers) gets this subscription's marker.
      const adopt =
        before.marker?.subscriptionId === body.subscriptionId
          ? {}
          : {
              description: withMarker(
                before.description,
                markerFor(body.subscriptionId, write.kind, write.key),
              ),
            };
      after = await upstream.updateAddition(body.agreementId, id, { ...patchOf(write), ...adopt });
    }
  } catch (err) {
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
}

/**
 * The additions that existed before the journaled send, which a recovered create can never be. A re-plan
 * lists the possibly-sent addition among its own known ones, so the row's record wins over the plan's; a row
 * from an earlier plan without that record excludes none (never twice beats a missed exclusion).
 */
function knownBeforeSend(row: JournalRow, plan: StoredPlan, body: PlanBody): Set<number> {
  const recorded = (row.request as { knownAdditionIds?: unknown } | null)?.knownAdditionIds;
  if (Array.isArray(recorded)) return new Set(recorded.filter((id): id is number => typeof id === 'number'));
  return new Set(row.planId === plan.id ? body.knownAdditionIds : []);
}

/** What the journaled send carried, when it was a planned write (an earlier plan's figures may differ). */
function sentInput(row: JournalRow): AdditionInput | null {
  const r = row.request as Partial<PlannedWrite> | null;
  if (typeof r !== 'object' || r === null || r.catalogId === undefined || r.invoiceDescription === undefined)
    return null;
  return inputOf(r as PlannedWrite);
}

function recover(
  write: PlannedWrite,
  body: PlanBody,
  plan: StoredPlan,
  row: JournalRow,
  seen: Seen,
): SyncAddition | null {
  if (write.action === 'create') {
    const markers = [inputOf(write)];
    const sent = sentInput(row);
    if (sent) markers.unshift(sent);
    const known = knownBeforeSend(row, plan, body);
    return (
      seen.additions.find(
        (a) => !known.has(a.id) && !seen.doneIds.has(a.id) && markers.some((m) => matchesMarker(a, m)),
      ) ?? null
    );
  }
  const current = write.additionId === undefined ? undefined : seen.byId.get(Number(write.additionId));
  return current && alreadyApplied(write, current) ? current : null;
}
