// The prorates a subscription's history makes due (§3, §7), each matched to the one-time line that bills it.
// ConnectWise keeps no past quantity of an addition, so invoiced months are judged by their one-time lines:
// a due prorate with no line is owed (a back-bill within the look-back, an older shortfall beyond it).
import { addMonths, firstOfMonth, type IsoDate, type IsoMonth, monthOf } from '../billing/dates.ts';
import { type Cents, formatCents, toCents } from '../billing/money.ts';
import { planProrates, type QuantityChange } from '../billing/prorate.ts';
import { cwCents, lineCents, serviceEnd, takenAsWritten } from './months.ts';
import type { JudgeAddition, JudgeSubscription } from './types.ts';

export type DueProrate = {
  changeDate: IsoDate;
  quantity: number;
  /** What it bills: the matched line's own amount, else the spec's figure. */
  amount: Cents;
  /** The one-time line that bills it, or null (owed). */
  line: JudgeAddition | null;
  /** Older than the look-back: owed amounts are shown, never proposed. */
  older: boolean;
};

export type DueInput = {
  subscription: JudgeSubscription;
  history: readonly QuantityChange[];
  today: IsoDate;
  first: IsoMonth;
  lookBack: number;
  older: number;
  price: Cents;
  cost: Cents;
  threshold: boolean;
  countChangeDay: boolean;
  /** The subscription's one-time lines; a line bills at most one prorate. */
  oneTime: readonly JudgeAddition[];
};

/** Quantity before `date` (0 before the initial order): the seats billed on a month's first day. */
function quantityBefore(history: readonly QuantityChange[], date: IsoDate): number {
  let quantity = 0;
  for (const change of history) {
    if (change.date >= date) break;
    quantity = change.quantity;
  }
  return quantity;
}

export function dueProrates(input: DueInput): DueProrate[] {
  const s = input.subscription;
  if (s.status === 'Trial') return [];
  const end = serviceEnd(s, input.today);
  const free = input.oneTime.filter((a) => !takenAsWritten(a));
  const out: DueProrate[] = [];
  const wanted: { after: IsoDate; unitPrice: Cents }[] = [];
  for (let back = input.lookBack + input.older; back >= 1; back--) {
    const month = addMonths(input.first, -back);
    const changes = input.history.filter(
      (c) => monthOf(c.date) === month && (end === null || c.date <= end) && c.date <= input.today,
    );
    if (changes.length === 0) continue;
    const lines = planProrates({
      month,
      billedAtMonthStart: quantityBefore(input.history, firstOfMonth(month)),
      changes: [...changes],
      threshold: input.threshold,
      unitCost: formatCents(input.cost),
      unitPrice: formatCents(input.price),
      countChangeDay: input.countChangeDay,
    });
    const after = firstOfMonth(addMonths(month, 1));
    for (const p of lines) {
      // Waived at the seat change ("I want to waive prorate"): nothing is due for it.
      if (s.waivedChangeKeys?.includes(p.changeKey)) continue;
      out.push({
        changeDate: p.changeDate,
        quantity: p.quantityIncrease,
        amount: toCents(p.totalPrice, 'prorate'),
        line: null,
        older: back > input.lookBack,
      });
      wanted.push({ after, unitPrice: toCents(p.unitPrice, 'prorate') });
    }
  }
  // A line bills at most one prorate: first the lines with the very figures, then any of the same seats later.
  for (const exact of [true, false]) {
    out.forEach((due, i) => {
      const want = wanted[i];
      if (due.line !== null || !want) return;
      const at = free.findIndex(
        (a) =>
          a.quantity === due.quantity &&
          a.effectiveDate !== null &&
          a.effectiveDate >= want.after &&
          (!exact || cwCents(a.unitPrice) === want.unitPrice),
      );
      const line = at >= 0 ? (free.splice(at, 1)[0] ?? null) : null;
      if (line) out[i] = { ...due, line, amount: lineCents(line) };
    });
  }
  return out;
}
