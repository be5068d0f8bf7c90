// The recurring addition's write: update the current one, or create new and cancel the old one.
import { dayBefore, type IsoDate } from './dates.ts';
import { BillingInputError } from './errors.ts';
import { formatCents, toCents } from './money.ts';
import type { AdditionWrite, BillCustomer, ExistingAddition } from './plan-types.ts';

export type RecurringInput = {
  /** '<subscriptionId>:<agreementId>', the prefix of every key. */
  ids: string;
  /** The addition to update (update mode), if any. */
  current: ExistingAddition | undefined;
  /** The current addition whatever the mode: create new cancels it. */
  previous: ExistingAddition | undefined;
  quantity: number;
  unitPrice: string;
  unitCost: string;
  catalogId: string | number;
  billCustomer: BillCustomer;
  taxable: boolean;
  invoiceDescription: string;
  /** The first un-invoiced month's first day (or the user's effective date). */
  floor: IsoDate;
};

export function expectedOf(addition: ExistingAddition): NonNullable<AdditionWrite['expected']> {
  return {
    quantity: addition.quantity,
    unitPrice: formatCents(toCents(addition.unitPrice, 'additions.unitPrice')),
    unitCost: formatCents(toCents(addition.unitCost, 'additions.unitCost')),
    cancelledDate: addition.cancelledDate,
  };
}

export function cancelWrite(
  ids: string,
  addition: ExistingAddition,
  cancelledDate: IsoDate,
): AdditionWrite[] {
  if (addition.cancelledDate !== null && addition.cancelledDate <= cancelledDate) return [];
  const expected = expectedOf(addition);
  return [
    {
      key: `cancel:${ids}:${String(addition.id)}:${cancelledDate}`,
      action: 'cancel',
      kind: 'recurring',
      additionId: addition.id,
      catalogId: addition.catalogId,
      quantity: addition.quantity,
      unitPrice: expected.unitPrice,
      unitCost: expected.unitCost,
      effectiveDate: addition.effectiveDate,
      cancelledDate,
      invoiceDescription: addition.invoiceDescription,
      billCustomer: addition.billCustomer,
      taxable: addition.taxable,
      expected,
    },
  ];
}

export function recurringWrites(input: RecurringInput): AdditionWrite[] {
  const { ids, current, previous, quantity, unitPrice, unitCost, floor } = input;
  const fields = {
    catalogId: input.catalogId,
    quantity,
    unitPrice,
    unitCost,
    invoiceDescription: input.invoiceDescription,
    billCustomer: input.billCustomer,
    taxable: input.taxable,
  };
  if (current && quantity === 0) {
    // No seats left: stop billing before the first un-invoiced month rather than bill zero seats. An addition
    // that has not started by then cannot end before its first day, so it ends there at 0 seats (endWrites).
    return endWrites(ids, current, dayBefore(floor));
  }
  if (current) {
    const expected = expectedOf(current);
    const same =
      expected.quantity === quantity &&
      expected.unitPrice === unitPrice &&
      expected.unitCost === unitCost &&
      current.invoiceDescription === input.invoiceDescription &&
      current.billCustomer === input.billCustomer &&
      current.taxable === input.taxable;
    const action = same ? 'none' : 'update';
    return [
      {
        key: `recurring:${ids}:${action}:${current.effectiveDate}:${quantity}:${unitPrice}:${unitCost}`,
        action,
        kind: 'recurring',
        additionId: current.id,
        ...fields,
        effectiveDate: current.effectiveDate,
        cancelledDate: current.cancelledDate,
        expected,
      },
    ];
  }
  if (quantity === 0) return [];
  const writes: AdditionWrite[] = [];
  if (previous) {
    if (previous.effectiveDate >= floor) {
      throw new BillingInputError(
        'effectiveDate',
        `a new addition must start after the current one (effective ${previous.effectiveDate})`,
      );
    }
    writes.push(...cancelWrite(ids, previous, dayBefore(floor)));
  }
  writes.push({
    key: `recurring:${ids}:create:${floor}:${quantity}:${unitPrice}:${unitCost}`,
    action: 'create',
    kind: 'recurring',
    ...fields,
    effectiveDate: floor,
    cancelledDate: null,
  });
  return writes;
}

/**
 * A cancelled subscription's recurring addition stops after the month its service ends (spec §7). One that has
 * not started by then cannot be cancelled before its first day (ConnectWise refuses), so it is set to 0 seats and
 * ends on that day: it bills nothing.
 */
export function endWrites(ids: string, addition: ExistingAddition, lastDay: IsoDate): AdditionWrite[] {
  if (lastDay >= addition.effectiveDate) return cancelWrite(ids, addition, lastDay);
  const expected = expectedOf(addition);
  if (expected.quantity === 0 && addition.cancelledDate === addition.effectiveDate) return [];
  return [
    {
      key: `end:${ids}:${String(addition.id)}:${addition.effectiveDate}`,
      action: 'update',
      kind: 'recurring',
      additionId: addition.id,
      catalogId: addition.catalogId,
      quantity: 0,
      unitPrice: expected.unitPrice,
      unitCost: expected.unitCost,
      effectiveDate: addition.effectiveDate,
      cancelledDate: addition.effectiveDate,
      invoiceDescription: addition.invoiceDescription,
      billCustomer: addition.billCustomer,
      taxable: addition.taxable,
      expected,
    },
  ];
}
