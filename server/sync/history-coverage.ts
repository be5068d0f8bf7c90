// Which ConnectWise line covers each change of a subscription's history, from the journal (pure, no IO).
// The recurring addition covers a change once a recurring write that billed Pax8's quantity of its day was
// done on or after the change (later writes carry earlier changes with them: the initial order, decreases);
// an increase's partial month is covered by the prorate written for its change key.
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
  /** Covered by the recurring, and, for an increase, by its written prorate. */
  synced: boolean;
};

type Entry = Pick<
  JournalRow,
  'kind' | 'action' | 'state' | 'cwAdditionId' | 'changeKey' | 'request' | 'updatedAt'
>;

const quantityOf = (request: unknown): number | undefined => {
  const q = (request as { quantity?: unknown } | null)?.quantity;
  return typeof q === 'number' ? q : undefined;
};

/** The quantity Pax8 showed on `day` (the last change on or before it), with that change's index. */
function inEffect(points: readonly HistoryPoint[], day: string): { index: number; quantity: number } {
  let index = -1;
  for (let i = 0; i < points.length && (points[i]?.date ?? '') <= day; i++) index = i;
  return { index, quantity: index < 0 ? 0 : (points[index]?.quantity ?? 0) };
}

export function historyCoverage(points: readonly HistoryPoint[], journal: readonly Entry[]): CoveredChange[] {
  const keys = changeKeys(points);
  const done = journal.filter((j) => j.state === 'done');
  // The last change each matching recurring write carried: every change up to it is billed by the recurring.
  let coveredUpTo = -1;
  let recurringAdditionId: number | null = null;
  for (const j of done) {
    if (j.kind !== 'recurring' || (j.action !== 'create' && j.action !== 'update')) continue;
    const billed = inEffect(points, j.updatedAt.slice(0, 10));
    if (billed.index < 0 || quantityOf(j.request) !== billed.quantity) continue;
    if (billed.index >= coveredUpTo) {
      coveredUpTo = billed.index;
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
    return {
      ...point,
      previousQuantity,
      changeKey,
      coveredByRecurring,
      recurringAdditionId: coveredByRecurring ? recurringAdditionId : null,
      prorateAdditionId,
      synced: coveredByRecurring && (!increase || prorate !== undefined),
    };
  });
}
