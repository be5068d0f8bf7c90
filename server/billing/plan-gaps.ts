// Whole months CW never billed for seats Pax8 charged: billed in advance, or a sync made late. Proposed, not written.
import { addMonths, firstOfMonth, firstOfNextMonth, type IsoDate, monthOf } from './dates.ts';
import { quantityBefore } from './plan-prorates.ts';
import type { ExtraMonthsOptions, ProrateRow } from './plan-types.ts';
import type { QuantityChange } from './prorate.ts';

export type GapInput = {
  history: QuantityChange[];
  today: IsoDate;
  /** Where the new additions start: the first un-invoiced month. */
  floor: IsoDate;
  /** Seats ConnectWise already bills each month: the current addition's quantity, or 0. */
  billedQuantity: number;
  prorates: readonly ProrateRow[];
};

/**
 * Months before the floor that ConnectWise invoiced (or will invoice) without the seats added since: from the
 * month after the earliest unsynced increase, or next month, up to the floor. A change's own month is its prorate.
 * Consecutive months with the same seat shortfall become one extra-months proposal.
 */
export function gapProposals(input: GapInput): ExtraMonthsOptions[] {
  const floorMonth = monthOf(input.floor);
  let start = monthOf(firstOfNextMonth(input.today));
  for (const row of input.prorates) {
    if (row.synced || row.excluded) continue;
    const after = addMonths(monthOf(row.changeDate), 1);
    if (after < start) start = after;
  }
  const proposals: ExtraMonthsOptions[] = [];
  for (let month = start; month < floorMonth; month = addMonths(month, 1)) {
    const seats = quantityBefore(input.history, firstOfMonth(month)) - input.billedQuantity;
    const last = proposals.at(-1);
    if (seats <= 0) continue;
    if (last && last.quantity === seats && addMonths(last.startMonth, last.months) === month) {
      last.months += 1;
    } else {
      proposals.push({ effectiveDate: input.floor, quantity: seats, startMonth: month, months: 1 });
    }
  }
  return proposals;
}
