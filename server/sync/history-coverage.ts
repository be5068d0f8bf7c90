// Which ConnectWise line covers each change of a subscription's history, from the journal (pure, no IO).
// The recurring addition covers a change once a done recurring write billed the quantity of that change or of a
// later one (a later quantity carries the earlier changes with it: the initial order, decreases); an increase's
// partial month is covered by the prorate written for its change key. Matched by quantity, not by time: the
// journal keeps the server's clock, while Pax8's history may be on the sandbox's (moved months ahead).
import { changeKeys } from '../billing/index.ts';
import type { JournalRow } from './ports.ts';

export type HistoryPoint = { date: string; quantity: number };

export type CoveredChange = HistoryPoint & {
  previousQuantity: number;
  /** The key the planner's prorate for this change carries (`date#n`). */
  changeKey: string;
  /** The recurring addition bills this change's quantity or a later one. */
  coveredByRecurring: boolean;
  recurringAdditionId: number | null;
  /** The prorate written for this change, if any. */
  prorateAdditionId: number | null;
  /** Its prorate was waived at the seat change from the pod: none is owed. */
  prorateWaived: boolean;
  /** Covered by the recurring, and, for an increase, by its written (or waived) prorate. */
  synced: boolean;
};

type Entry = Pick<JournalRow, 'kind' | 'action' | 'state' | 'cwAdditionId' | 'changeKey' | 'request'>;

const quantityOf = (request: unknown): number | undefined => {
  const q = (request as { quantity?: unknown } | null)?.quantity;
  return typeof q === 'number' ? q : undefined;
};

export function historyCoverage(
  points: readonly HistoryPoint[],
  journal: readonly Entry[],
  /** Change keys whose prorate the member waived at a seat change (store: seat_changes). */
  waived: ReadonlySet<string> = new Set(),
): CoveredChange[] {
  const keys = changeKeys(points);
  const done = journal.filter((j) => j.state === 'done');
  // The last change whose quantity a recurring write billed: every change up to it is billed by the recurring.
  // (A→B→A synced at A covers B too, as the recurring bills A now; B's increase still needs its own prorate.)
  let coveredUpTo = -1;
  let recurringAdditionId: number | null = null;
  for (const j of done) {
    if (j.kind !== 'recurring' || (j.action !== 'create' && j.action !== 'update')) continue;
    const quantity = quantityOf(j.request);
    const index = points.findLastIndex((p) => p.quantity === quantity);
    if (index >= 0 && index >= coveredUpTo) {
      coveredUpTo = index;
      recurringAdditionId = j.cwAdditionId;
    }
  }
  return points.map((point, i) => {
    const previousQuantity = i === 0 ? 0 : (points[i - 1]?.quantity ?? 0);
    const changeKey = keys[i] ?? `${point.date}#1`;
    const prorate = done.find((j) => j.kind === 'prorate' && j.changeKey === changeKey);
    const coveredByRecurring = i <= coveredUpTo;
    const increase = point.quantity > previousQuantity;
    const prorateAdditionId = prorate ? (prorate.cwAdditionId ?? null) : null;
    const prorateWaived = waived.has(changeKey);
    return {
      ...point,
      previousQuantity,
      changeKey,
      coveredByRecurring,
      recurringAdditionId: coveredByRecurring ? recurringAdditionId : null,
      prorateAdditionId,
      prorateWaived,
      synced: coveredByRecurring && (!increase || prorate !== undefined || prorateWaived),
    };
  });
}
