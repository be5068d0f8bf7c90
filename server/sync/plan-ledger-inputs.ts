// What the planner's ledger needs beyond ConnectWise's additions, read from markers and the journal: which
// prorates exist, what quantity each invoice saw, which months a one-time line bills, and other subscriptions'
// claims on additions without a marker.
import { changeKeys, type IsoDate, prorateKey, type RecurringLogEntry } from '../billing/index.ts';
import { writeIdOf } from './marker.ts';
import type {
  JournalRow,
  SyncAddition,
  SyncHistoryPoint,
  SyncStore,
  SyncSubscription,
  SyncUpstream,
} from './ports.ts';

/**
 * Change keys of prorates already written: an addition on the agreement whose marker names this subscription and
 * the prorate's write (so a lost journal or a second tenant on the same ConnectWise does not plan them again),
 * and the journal's done prorates. A prorate our journal holds as sent but not done is planned again all the
 * same: apply then finds it by its marker and closes the row without writing.
 */
export function syncedKeys(
  subscriptionId: string,
  agreementId: number,
  history: readonly SyncHistoryPoint[],
  additions: readonly SyncAddition[],
  journalKeys: readonly string[],
  journal: readonly JournalRow[] = [],
): string[] {
  const open = new Set(journal.filter((j) => j.state !== 'done').map((j) => j.idempotencyKey));
  const marked = new Set(
    additions
      .filter((a) => a.marker?.subscriptionId === subscriptionId && a.marker.kind === 'prorate')
      .map((a) => a.marker?.write),
  );
  const out = new Set(journalKeys);
  for (const key of changeKeys(history)) {
    const idempotencyKey = prorateKey(subscriptionId, agreementId, key);
    if (marked.has(writeIdOf(idempotencyKey)) && !open.has(idempotencyKey)) out.add(key);
  }
  return [...out].sort();
}

type WriteRequest = { quantity?: unknown; expected?: { quantity?: unknown }; period?: unknown };
const requestOf = (row: JournalRow): WriteRequest =>
  typeof row.request === 'object' && row.request !== null ? (row.request as WriteRequest) : {};

/** The quantities this product set on recurring additions, oldest first, dated by when the write was done. */
export function recurringLogOf(rows: readonly JournalRow[]): RecurringLogEntry[] {
  return rows
    .filter((r) => r.kind === 'recurring' && (r.action === 'create' || r.action === 'update'))
    .filter((r) => r.cwAdditionId !== null && typeof requestOf(r).quantity === 'number')
    .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0))
    .map((r) => {
      const before = requestOf(r).expected?.quantity;
      return {
        additionId: r.cwAdditionId as number,
        date: r.updatedAt.slice(0, 10),
        before: r.action === 'create' ? null : typeof before === 'number' ? before : null,
        after: requestOf(r).quantity as number,
      };
    });
}

/** The service months a one-time line this product wrote bills, from its journaled write. */
export function periodOf(
  rows: readonly JournalRow[],
  additionId: number,
): { start: IsoDate; end: IsoDate } | undefined {
  for (const row of rows) {
    if (row.cwAdditionId !== additionId) continue;
    const period = requestOf(row).period as { start?: unknown; end?: unknown } | undefined;
    if (typeof period?.start === 'string' && typeof period.end === 'string') {
      return { start: period.start, end: period.end };
    }
  }
  return undefined;
}

/**
 * Additions on this agreement that the journal says other subscriptions of the same Pax8 company wrote: their
 * claim stands even when the marker was removed by hand (spec §7 "one subscription, one addition").
 */
export async function otherClaims(
  ctx: { store: SyncStore; upstream: SyncUpstream },
  subscription: SyncSubscription,
  agreementId: number,
): Promise<Record<string, string>> {
  const siblings = (await ctx.upstream.companySubscriptions(subscription.companyId))
    .map((s) => s.id)
    .filter((id) => id !== subscription.id);
  if (siblings.length === 0) return {};
  const claims: Record<string, string> = {};
  for (const row of await ctx.store.journalForSubscriptions(siblings)) {
    if (row.agreementId === agreementId && row.state === 'done' && row.cwAdditionId !== null) {
      claims[String(row.cwAdditionId)] = row.subscriptionId;
    }
  }
  return claims;
}
