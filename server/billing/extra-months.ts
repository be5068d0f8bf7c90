// The extra-months addition: one one-time line billing whole months in advance, or back-billing them.
import {
  addMonths,
  endOfMonth,
  type IsoDate,
  type IsoMonth,
  monthOf,
  parseDate,
  parseMonth,
} from './dates.ts';
import { checkDescription, extraMonthsDescription } from './descriptions.ts';
import { BillingInputError } from './errors.ts';
import { type LineMoney, lineMoney, type MoneyInput, timesCents, toCents, toQuantity } from './money.ts';

export type ExtraMonthsInput = {
  effectiveDate: IsoDate;
  quantity: number;
  startMonth: IsoMonth;
  months: number;
  unitCost: MoneyInput;
  unitPrice: MoneyInput;
  shortDescription: string;
};

export type ExtraMonthsLine = LineMoney & {
  quantity: number;
  effectiveDate: IsoDate;
  cancelledDate: IsoDate;
  invoiceDescription: string;
  period: { start: IsoDate; end: IsoDate };
};

export function extraMonthsAddition(input: ExtraMonthsInput): ExtraMonthsLine {
  parseDate(input.effectiveDate, 'extraMonths.effectiveDate');
  parseMonth(input.startMonth, 'extraMonths.startMonth');
  const quantity = toQuantity(input.quantity, 'extraMonths.quantity');
  if (!Number.isSafeInteger(input.months) || input.months < 1 || input.months > 120) {
    throw new BillingInputError(
      'extraMonths.months',
      'extraMonths.months must be a whole number from 1 to 120',
    );
  }
  const unitCost = timesCents(
    toCents(input.unitCost, 'extraMonths.unitCost'),
    input.months,
    'extraMonths.unitCost',
  );
  const unitPrice = timesCents(
    toCents(input.unitPrice, 'extraMonths.unitPrice'),
    input.months,
    'extraMonths.unitPrice',
  );
  const lastMonth = addMonths(input.startMonth, input.months - 1);
  return {
    quantity,
    ...lineMoney(unitCost, unitPrice, quantity, 'extraMonths.quantity'),
    effectiveDate: input.effectiveDate,
    cancelledDate: endOfMonth(monthOf(input.effectiveDate)),
    invoiceDescription: checkDescription(
      extraMonthsDescription(input.shortDescription, input.startMonth, lastMonth),
      'extraMonths.description',
    ),
    period: { start: `${input.startMonth}-01`, end: endOfMonth(lastMonth) },
  };
}
