// Which history changes become prorate rows in a plan: horizon, threshold per month, journal, user edits.
import {
  addMonths,
  endOfMonth,
  firstOfMonth,
  type IsoDate,
  type IsoMonth,
  laterOf,
  monthOf,
  parseDate,
} from './dates.ts';
import { checkDescription, prorateDescription } from './descriptions.ts';
import { BillingInputError } from './errors.ts';
import { type Cents, formatCents, lineMoney, toCents, toQuantity } from './money.ts';
import type { ProrateEdit, ProrateRow } from './plan-types.ts';
import { planProrates, type QuantityChange } from './prorate.ts';

/** Invoiced months back-billed by default (spec §7's look-back; a tenant setting). */
export const DEFAULT_LOOKBACK_MONTHS = 3;

export type ProrateContext = {
  history: QuantityChange[];
  /** The months whose changes are prorated: from `from` up to, not including, `to`. */
  months: { from: IsoMonth; to: IsoMonth };
  /** The first un-invoiced month's first day (or the user's chosen effective date). */
  floor: IsoDate;
  unitCost: Cents;
  unitPrice: Cents;
  threshold: boolean;
  countChangeDay: boolean;
  shortDescription: string;
  synced: ReadonlySet<string>;
  /** Changes whose prorate the member waived at the seat change (remembered per change). */
  waived?: ReadonlySet<string>;
  /** Seats a month already billed whole beyond its starting quantity: they need no prorate (never twice). */
  billedWhole?: (month: IsoMonth) => number;
  exclude: ReadonlySet<string>;
  edit: Readonly<Record<string, ProrateEdit>>;
};

/** The quantity in force just before `date` (0 before the initial order). */
export function quantityBefore(history: readonly QuantityChange[], date: IsoDate): number {
  let quantity = 0;
  for (const change of history) {
    if (change.date >= date) break;
    quantity = change.quantity;
  }
  return quantity;
}

/**
 * Prorate rows for changes in the given months, each month under the threshold rule with the month's starting
 * quantity (the quantity at the end of the previous month's last day: spec §7, the 1st is a day like any other).
 */
export function prorateRows(context: ProrateContext): ProrateRow[] {
  const rows: ProrateRow[] = [];
  const planned = new Set<string>();
  for (let month = context.months.from; month < context.months.to; month = addMonths(month, 1)) {
    const changes = context.history.filter((change) => monthOf(change.date) === month);
    if (changes.length === 0) continue;
    const lines = planProrates({
      month,
      billedAtMonthStart: quantityBefore(context.history, firstOfMonth(month)),
      changes,
      threshold: context.threshold,
      unitCost: formatCents(context.unitCost),
      unitPrice: formatCents(context.unitPrice),
      countChangeDay: context.countChangeDay,
    });
    let whole = context.billedWhole?.(month) ?? 0;
    for (const line of lines) {
      planned.add(line.changeKey);
      const covered = whole >= line.quantityIncrease;
      if (covered) whole -= line.quantityIncrease;
      const edit = context.edit[line.changeKey];
      const effectiveDate = laterOf(line.effectiveDate, context.floor);
      const base: ProrateRow = {
        changeKey: line.changeKey,
        changeDate: line.changeDate,
        quantityIncrease: line.quantityIncrease,
        quantity: line.quantity,
        unitCost: line.unitCost,
        unitPrice: line.unitPrice,
        totalCost: line.totalCost,
        totalPrice: line.totalPrice,
        effectiveDate,
        cancelledDate: endOfMonth(monthOf(effectiveDate)),
        period: { start: line.periodStart, end: line.periodEnd },
        invoiceDescription: prorateDescription(context.shortDescription, line.periodStart, line.periodEnd),
        synced: context.synced.has(line.changeKey) || covered,
        excluded: context.exclude.has(line.changeKey),
        waived: context.waived?.has(line.changeKey) ?? false,
        edited: false,
      };
      rows.push(edit && !base.synced ? applyEdit(base, edit) : base);
    }
  }
  for (const key of Object.keys(context.edit)) {
    if (!planned.has(key)) throw new BillingInputError(`prorates.edit.${key}`, `no prorate ${key} to edit`);
  }
  return rows;
}

function applyEdit(row: ProrateRow, edit: ProrateEdit): ProrateRow {
  const field = `prorates.edit.${row.changeKey}`;
  const effectiveDate = edit.effectiveDate ?? row.effectiveDate;
  parseDate(effectiveDate, `${field}.effectiveDate`);
  const quantityIncrease = toQuantity(edit.quantity ?? row.quantityIncrease, `${field}.quantity`);
  const unitCost = toCents(edit.unitCost ?? row.unitCost, `${field}.unitCost`);
  const unitPrice = toCents(edit.unitPrice ?? row.unitPrice, `${field}.unitPrice`);
  return {
    ...row,
    quantityIncrease,
    ...lineMoney(unitCost, unitPrice, quantityIncrease, `${field}.quantity`),
    effectiveDate,
    cancelledDate: endOfMonth(monthOf(effectiveDate)),
    invoiceDescription:
      edit.description === undefined
        ? row.invoiceDescription
        : checkDescription(edit.description, `${field}.description`),
    edited: true,
  };
}
