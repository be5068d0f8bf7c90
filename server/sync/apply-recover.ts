// What apply compares and looks up: a planned write as an addition body, the hand-edit check, and how a
// journaled write is found in ConnectWise again — by its marker (exact), or for rows journaled before markers
// existed by the old figures-matching rule — so an unknown or crashed write is settled without a second send.
import { writeIdOf } from './marker.ts';
import { isOpen, landsBy } from './outcome.ts';
import type { PlanBody, PlannedWrite } from './plan-types.ts';
import type { AdditionInput, JournalRow, StoredPlan, SyncAddition } from './ports.ts';

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

export function patchOf(write: PlannedWrite): Partial<AdditionInput> {
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

/** The old recovery rule (before markers): the same agreement line with the same product, dates, text and figures. */
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
export function alreadyApplied(write: PlannedWrite, current: SyncAddition): boolean {
  const patch = patchOf(write) as Record<string, unknown>;
  return changedFields(patch, current).length === 0;
}

/** One read of the agreement's additions, and when it started (a marker's absence proves only what was sent before). */
export type Seen = {
  byId: Map<number, SyncAddition>;
  additions: SyncAddition[];
  doneIds: Set<number>;
  readAt: Date;
};

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
function sentWrite(row: JournalRow): PlannedWrite | null {
  const r = row.request as Partial<PlannedWrite> | null;
  if (typeof r !== 'object' || r === null || r.catalogId === undefined || r.invoiceDescription === undefined)
    return null;
  return r as PlannedWrite;
}

/**
 * The addition a journaled write produced, if this read of ConnectWise shows it. A create is found by the
 * marker naming its write; a row sent before markers existed (no sent_at) falls back to matching figures on an
 * unmarked addition that was not there before the send. An update or cancel is found by its fields.
 */
export function findWritten(
  row: JournalRow,
  planned: PlannedWrite | null,
  ctx: { plan: StoredPlan; body: PlanBody; seen: Seen },
): SyncAddition | null {
  const { seen } = ctx;
  const write = sentWrite(row) ?? planned;
  if (row.action === 'create') {
    const id = writeIdOf(row.idempotencyKey);
    const marked = seen.additions.find(
      (a) => a.marker?.write === id && a.marker.subscriptionId === row.subscriptionId,
    );
    if (marked || row.sentAt !== null) return marked ?? null;
    const figures = [write, planned].filter((w): w is PlannedWrite => w !== null).map(inputOf);
    const known = knownBeforeSend(row, ctx.plan, ctx.body);
    return (
      seen.additions.find(
        (a) =>
          a.marker === null &&
          !known.has(a.id) &&
          !seen.doneIds.has(a.id) &&
          figures.some((m) => matchesMarker(a, m)),
      ) ?? null
    );
  }
  if (!write || write.additionId === undefined) return null;
  const current = seen.byId.get(Number(write.additionId));
  return current && alreadyApplied(write, current) ? current : null;
}

export type Settled = { found: SyncAddition } | { lost: true } | { until: Date };

/**
 * A 'sent' or 'unknown' write: found in ConnectWise → done; not found by a read that started after the write
 * could still land → lost (safe to send again); otherwise → wait until it can no longer land.
 */
export function settle(
  row: JournalRow,
  planned: PlannedWrite | null,
  ctx: { plan: StoredPlan; body: PlanBody; seen: Seen },
): Settled {
  const found = findWritten(row, planned, ctx);
  if (found) return { found };
  const until = landsBy(row);
  if (!isOpen(row) || ctx.seen.readAt.getTime() >= until.getTime()) return { lost: true };
  return { until };
}
