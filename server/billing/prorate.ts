// One-time prorate lines for partial months, and the threshold rule that decides which seats get one.
import {
  daysInMonth,
  endOfMonth,
  firstOfNextMonth,
  type IsoDate,
  type IsoMonth,
  monthOf,
  parseDate,
  parseMonth,
} from './dates.ts';
import { BillingInputError } from './errors.ts';
import { type LineMoney, lineMoney, type MoneyInput, mulDivHalfUp, toCents, toQuantity } from './money.ts';

export type ProrateLineInput = {
  changeDate: IsoDate;
  quantityIncrease: number;
  unitCost: MoneyInput;
  unitPrice: MoneyInput;
  /** Count the change day itself: (D − d + 1)/D instead of (D − d)/D. */
  countChangeDay?: boolean;
};

export type ProrateLine = LineMoney & {
  periodStart: IsoDate;
  periodEnd: IsoDate;
  effectiveDate: IsoDate;
  cancelledDate: IsoDate;
};

/** The prorate for seats added on `changeDate`; null when nothing is left to bill (last day, default rule). */
export function prorateLine(input: ProrateLineInput): ProrateLine | null {
  const { year, month, day } = parseDate(input.changeDate, 'changeDate');
  const quantity = toQuantity(input.quantityIncrease, 'quantityIncrease');
  const cost = toCents(input.unitCost, 'unitCost');
  const price = toCents(input.unitPrice, 'unitPrice');
  const days = daysInMonth(year, month);
  const remaining = days - day + (input.countChangeDay ? 1 : 0);
  if (remaining === 0 || quantity === 0) return null;
  const unitCost = mulDivHalfUp(cost, remaining, days);
  const unitPrice = mulDivHalfUp(price, remaining, days);
  const effectiveDate = firstOfNextMonth(input.changeDate);
  return {
    periodStart: input.changeDate,
    periodEnd: endOfMonth(monthOf(input.changeDate)),
    ...lineMoney(unitCost, unitPrice, quantity, 'quantityIncrease'),
    effectiveDate,
    cancelledDate: endOfMonth(monthOf(effectiveDate)),
  };
}

export type QuantityChange = { date: IsoDate; quantity: number };

export type PlannedProrate = ProrateLine & {
  /** '<date>#<n>': the n-th history entry on that date, stable across runs. */
  changeKey: string;
  changeDate: IsoDate;
  quantityIncrease: number;
  /** The subscription quantity after the change. */
  quantity: number;
};

export type PlanProratesInput = {
  month: IsoMonth;
  billedAtMonthStart: number;
  changes: QuantityChange[];
  /** On (the default in the wizard): a seat is prorated at most once a month. */
  threshold: boolean;
  unitCost: MoneyInput;
  unitPrice: MoneyInput;
  countChangeDay?: boolean;
};

/** A change's key: its date and its ordinal among the changes on that date. */
export function changeKeys(changes: readonly QuantityChange[]): string[] {
  const seen = new Map<string, number>();
  return changes.map(({ date }) => {
    const n = (seen.get(date) ?? 0) + 1;
    seen.set(date, n);
    return `${date}#${n}`;
  });
}

/**
 * The prorates of one month. Threshold on: the bar starts at the quantity billed on the 1st and rises
 * with each prorated increase, never falls; only seats above it are prorated. Off: every increase over
 * the previous quantity is prorated.
 */
export function planProrates(input: PlanProratesInput): PlannedProrate[] {
  parseMonth(input.month, 'month');
  let previous = toQuantity(input.billedAtMonthStart, 'billedAtMonthStart');
  let bar = previous;
  const keys = changeKeys(input.changes);
  const lines: PlannedProrate[] = [];
  input.changes.forEach((change, index) => {
    const field = `changes[${index}]`;
    parseDate(change.date, `${field}.date`);
    if (monthOf(change.date) !== input.month) {
      throw new BillingInputError(`${field}.date`, `${field}.date ${change.date} is not in ${input.month}`);
    }
    if (index > 0 && change.date < (input.changes[index - 1]?.date ?? '')) {
      throw new BillingInputError(`${field}.date`, 'changes must be in date order');
    }
    const quantity = toQuantity(change.quantity, `${field}.quantity`);
    const base = input.threshold ? bar : previous;
    const increase = quantity - base;
    previous = quantity;
    if (increase <= 0) return;
    bar = Math.max(bar, quantity);
    const line = prorateLine({
      changeDate: change.date,
      quantityIncrease: increase,
      unitCost: input.unitCost,
      unitPrice: input.unitPrice,
      ...(input.countChangeDay === undefined ? {} : { countChangeDay: input.countChangeDay }),
    });
    if (line) {
      lines.push({
        ...line,
        changeKey: keys[index] ?? change.date,
        changeDate: change.date,
        quantityIncrease: increase,
        quantity,
      });
    }
  });
  return lines;
}
