// Months already invoiced (spec §7): seats they should have billed and did not become back-bill lines within the
// look-back; anything older is a warning with its amount. Judged against the ledger, never against the journal
// alone, so a gap stays until it is actually billed.
import {
  addMonths,
  earlierOf,
  firstOfMonth,
  type IsoDate,
  type IsoMonth,
  monthName,
  monthOf,
} from './dates.ts';
import { dollars, formatCents, timesCents } from './money.ts';
import type { Ledger } from './plan-ledger.ts';
import { quantityBefore } from './plan-prorates.ts';
import type { ExtraMonthsOptions, PlanWarning, ProrateRow } from './plan-types.ts';
import type { QuantityChange } from './prorate.ts';

/** How far before the look-back a shortfall is still reported (a warning, never a line). */
export const REPORT_MONTHS_BEYOND_LOOKBACK = 12;

/**
 * The first month back-billed by default: `lookback` invoiced months, counted back from the current month (or
 * from the first un-invoiced month when that is nearer), so months invoiced in advance never push it forward.
 */
export function lookbackStart(today: IsoDate, floor: IsoDate, lookback: number): IsoMonth {
  const fromFloor = addMonths(monthOf(floor), -lookback);
  const fromToday = addMonths(monthOf(today), -(lookback - 1));
  return earlierOf(fromFloor, fromToday);
}

export type ServiceSpan = {
  history: readonly QuantityChange[];
  /** The last month the subscription is billed (its end's month), if it ends. */
  endMonth: IsoMonth | undefined;
};

/** Whole-month seats the spec says a service month bills: the quantity at the end of the previous month. */
export function seatsDue(span: ServiceSpan, month: IsoMonth): number {
  if (span.endMonth !== undefined && month > span.endMonth) return 0;
  return quantityBefore(span.history, firstOfMonth(month));
}

/** Runs of consecutive months with the same shortfall, from `from` up to (not including) `to`. */
export function shortfalls(
  span: ServiceSpan,
  ledger: Ledger,
  from: IsoMonth,
  to: IsoMonth,
  floor: IsoDate,
): ExtraMonthsOptions[] {
  const out: ExtraMonthsOptions[] = [];
  for (let month = from; month < to; month = addMonths(month, 1)) {
    const seats = seatsDue(span, month) - ledger.seats(month);
    const last = out.at(-1);
    if (seats <= 0) continue;
    if (last && last.quantity === seats && addMonths(last.startMonth, last.months) === month)
      last.months += 1;
    else out.push({ effectiveDate: floor, quantity: seats, startMonth: month, months: 1 });
  }
  return out;
}

const span = (p: ExtraMonthsOptions): string =>
  p.months === 1
    ? monthName(p.startMonth)
    : `${monthName(p.startMonth)} to ${monthName(addMonths(p.startMonth, p.months - 1))}`;

/** The warning for what is older than the look-back: whole months and prorates never billed, with the amount. */
export function beyondLookback(
  older: readonly ExtraMonthsOptions[],
  olderProrates: readonly ProrateRow[],
  unitPrice: number,
  lookback: number,
): PlanWarning | undefined {
  const prorates = olderProrates.filter((r) => !r.synced && !r.waived);
  if (older.length === 0 && prorates.length === 0) return undefined;
  let cents = 0;
  const parts: string[] = [];
  for (const p of older) {
    const amount = timesCents(unitPrice, p.quantity * p.months, 'quantity');
    cents += amount;
    parts.push(`${p.quantity} seat(s) for ${span(p)} (${dollars(amount)})`);
  }
  for (const r of prorates) {
    const amount = Math.round(Number(r.totalPrice) * 100);
    cents += amount;
    parts.push(`a prorate of ${r.quantityIncrease} seat(s) from ${r.changeDate} (${dollars(amount)})`);
  }
  return {
    code: 'beyond_lookback',
    amount: formatCents(cents),
    message:
      `Not billed and older than the look-back of ${lookback} invoiced month(s), so not proposed: ` +
      `${parts.join('; ')}. Total ${dollars(cents)}: add an extra-months line to bill it.`,
  };
}

/** Months invoiced after the service ended (cancelled too late): shown with the amount, never credited silently. */
export function billedAfterEnd(
  span: ServiceSpan,
  ledger: Ledger,
  to: IsoMonth,
  unitPrice: number,
): PlanWarning | undefined {
  if (span.endMonth === undefined) return undefined;
  let cents = 0;
  const months: string[] = [];
  for (let month = addMonths(span.endMonth, 1); month < to; month = addMonths(month, 1)) {
    const seats = ledger.seats(month);
    if (seats <= 0) continue;
    cents += timesCents(unitPrice, seats, 'quantity');
    months.push(monthName(month));
  }
  if (cents === 0) return undefined;
  return {
    code: 'billed_after_end',
    amount: formatCents(cents),
    message: `ConnectWise already invoiced ${months.join(', ')} after the service ended (${dollars(cents)}); no credit is written unless you add one.`,
  };
}
