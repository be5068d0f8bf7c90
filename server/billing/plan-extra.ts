// One-time whole-month lines: the default back-bill lines (spec §7) and the user's extra-months line (spec §4),
// which is refused when it would bill a month twice.
import { addMonths, type IsoMonth, monthName } from './dates.ts';
import { BillingInputError } from './errors.ts';
import { extraMonthsAddition } from './extra-months.ts';
import type { AdditionWrite, BillCustomer, ExtraMonthsOptions } from './plan-types.ts';

export type LineCommon = {
  ids: string;
  catalogId: string | number;
  billCustomer: BillCustomer;
  taxable: boolean;
  unitPrice: string;
  unitCost: string;
  shortDescription: string;
};

export function backBillWrite(p: ExtraMonthsOptions, c: LineCommon): AdditionWrite {
  const line = extraMonthsAddition({
    ...p,
    unitCost: c.unitCost,
    unitPrice: c.unitPrice,
    shortDescription: c.shortDescription,
  });
  return {
    key: `backbill:${c.ids}:${p.startMonth}:${p.months}:${line.quantity}:${line.unitPrice}:${line.unitCost}`,
    action: 'create',
    kind: 'extra',
    catalogId: c.catalogId,
    billCustomer: c.billCustomer,
    taxable: c.taxable,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    unitCost: line.unitCost,
    effectiveDate: line.effectiveDate,
    cancelledDate: line.cancelledDate,
    invoiceDescription: line.invoiceDescription,
    period: line.period,
  };
}

export type Coverage = {
  /** Seats the spec says a month bills (from the first un-invoiced month on: the planned quantity). */
  due(month: IsoMonth): number;
  /** Seats already billed or planned for a month: recurring lines, earlier and default one-time lines. */
  covered(month: IsoMonth): number;
};

/**
 * The user's extra-months line. Never twice (spec §7): refused, naming the months, when any month it bills is
 * already covered by a recurring line or an earlier line for those seats.
 */
export function userExtraWrite(extra: ExtraMonthsOptions, c: LineCommon, coverage: Coverage): AdditionWrite {
  const line = extraMonthsAddition({
    effectiveDate: extra.effectiveDate,
    quantity: extra.quantity,
    startMonth: extra.startMonth,
    months: extra.months,
    unitCost: extra.unitCost ?? c.unitCost,
    unitPrice: extra.unitPrice ?? c.unitPrice,
    shortDescription: c.shortDescription,
  });
  const twice: string[] = [];
  for (let i = 0; i < extra.months; i++) {
    const month = addMonths(extra.startMonth, i);
    const covered = coverage.covered(month);
    if (covered > 0 && covered + line.quantity > coverage.due(month)) twice.push(monthName(month));
  }
  if (twice.length > 0) {
    throw new BillingInputError(
      'extraMonths',
      `extraMonths would bill ${twice.join(', ')} twice: a recurring or earlier line already covers those seats`,
    );
  }
  return {
    key: `extra:${c.ids}:${line.effectiveDate}:${extra.startMonth}:${extra.months}:${line.quantity}:${line.unitPrice}:${line.unitCost}`,
    action: 'create',
    kind: 'extra',
    catalogId: c.catalogId,
    billCustomer: extra.billCustomer ?? c.billCustomer,
    taxable: extra.taxable ?? c.taxable,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    unitCost: line.unitCost,
    effectiveDate: line.effectiveDate,
    cancelledDate: line.cancelledDate,
    invoiceDescription: line.invoiceDescription,
    period: line.period,
  };
}
