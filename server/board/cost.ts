// Pax8's cost per subscription and month, from invoice items (final) and draft items (a month not invoiced
// yet). An invoiced month's figure wins over a draft of the same month; prorate items add to their month.
import type { Cents } from '../billing/money.ts';
import { moneyCents } from '../judgement/months.ts';

export type CostItem = {
  subscriptionId?: string | null | undefined;
  type: string;
  startPeriod?: string | null | undefined;
  quantity: number;
  costTotal?: number | null | undefined;
  cost?: number | null | undefined;
  term?: string | null | undefined;
};

export type MonthCost = {
  cents: Cents;
  /** Seats on the month's 'subscription' items (prorates change money, not the month's seats). */
  seats: number;
  source: 'invoice' | 'draft';
};

/** subscription id → month (YYYY-MM) → cost. */
export type CostIndex = ReadonlyMap<string, ReadonlyMap<string, MonthCost>>;

/** Pax8 money (a number, may be negative for a credit or a seat decrease) in cents. */
export const signedCents = (value: number): Cents => (value < 0 ? -moneyCents(-value) : moneyCents(value));

function itemCents(item: CostItem): Cents {
  if (item.costTotal !== undefined && item.costTotal !== null) return signedCents(item.costTotal);
  const unit = signedCents(item.cost ?? 0);
  return Math.round(unit * item.quantity);
}

type Sums = Map<string, Map<string, MonthCost>>;

function add(into: Sums, item: CostItem, source: MonthCost['source'], monthOf: (period: string) => string) {
  if (!item.subscriptionId || !item.startPeriod) return;
  const month = monthOf(item.startPeriod);
  let months = into.get(item.subscriptionId);
  if (!months) {
    months = new Map();
    into.set(item.subscriptionId, months);
  }
  const was = months.get(month) ?? { cents: 0, seats: 0, source };
  months.set(month, {
    cents: was.cents + itemCents(item),
    seats: was.seats + (item.type === 'subscription' ? item.quantity : 0),
    source,
  });
}

/**
 * Items summed per subscription and month as they arrive, so a walk's items need not be kept until the end; the
 * months (YYYY-MM) are one string each, not one per item.
 */
export function costSums(source: MonthCost['source']) {
  const sums: Sums = new Map();
  const months = new Map<string, string>();
  const monthOf = (period: string) => {
    const month = period.slice(0, 7);
    const kept = months.get(month);
    if (kept !== undefined) return kept;
    months.set(month, month);
    return month;
  };
  return { sums, add: (item: CostItem) => add(sums, item, source, monthOf) };
}

/** Invoice sums first: a (subscription, month) an invoice holds ignores the drafts of that month. */
export function mergeCosts(invoiced: Sums, drafts: Sums): CostIndex {
  for (const [id, months] of drafts) {
    const into = invoiced.get(id) ?? new Map<string, MonthCost>();
    if (!invoiced.has(id)) invoiced.set(id, into);
    for (const [month, cost] of months) if (!into.has(month)) into.set(month, cost);
  }
  return invoiced;
}

/** Invoice items first: a (subscription, month) an invoice holds ignores the drafts of that month. */
export function indexCosts(invoiceItems: readonly CostItem[], draftItems: readonly CostItem[]): CostIndex {
  const invoiced = costSums('invoice');
  for (const item of invoiceItems) invoiced.add(item);
  const drafts = costSums('draft');
  for (const item of draftItems) drafts.add(item);
  return mergeCosts(invoiced.sums, drafts.sums);
}

/**
 * A refresh's costs: the draft months of `subscriptionIds` (the touched companies' subscriptions) replaced by
 * the drafts read again for those companies; invoiced months and every other subscription stay as they were.
 */
export function replaceDrafts(
  index: CostIndex,
  subscriptionIds: ReadonlySet<string>,
  draftItems: readonly CostItem[],
): CostIndex {
  const out = new Map<string, Map<string, MonthCost>>();
  for (const [id, months] of index) {
    if (!subscriptionIds.has(id)) {
      out.set(id, months as Map<string, MonthCost>);
      continue;
    }
    out.set(id, new Map([...months].filter(([, cost]) => cost.source === 'invoice')));
  }
  const fresh = indexCosts([], draftItems);
  for (const [id, months] of fresh) {
    const into = out.get(id) ?? new Map<string, MonthCost>();
    if (!out.has(id)) out.set(id, into);
    for (const [month, cost] of months) if (into.get(month)?.source !== 'invoice') into.set(month, cost);
  }
  return out;
}
