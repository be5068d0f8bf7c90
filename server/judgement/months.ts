// Money per service month: what ConnectWise will invoice from a subscription's additions, and the recurring
// part the spec (§1–§7) says it should. ConnectWise invoices a month's recurring additions active on its first
// day and the one-time additions effective in it (the prorates due are in prorates-due.ts).
import { firstOfMonth, type IsoDate, type IsoMonth, monthOf } from '../billing/dates.ts';
import { type Cents, type MoneyInput, toCents } from '../billing/money.ts';
import type { JudgeAddition, JudgeSubscription } from './types.ts';

/** A ConnectWise money number in cents: exact to the cent as CW stores it; a stray fraction of a cent rounds. */
export function cwCents(value: number): Cents {
  try {
    return toCents(value, 'unitPrice');
  } catch {
    return Math.round(value * 100);
  }
}

/** A price or cost from Pax8, a binding or the wizard, in cents (a stray fraction of a cent rounds). */
export function moneyCents(value: MoneyInput): Cents {
  try {
    return toCents(value, 'price');
  } catch {
    return Math.round(Number(value) * 100);
  }
}

/**
 * A one-time line whose months the planner chose (extra months, whole-month back-bills: any marked kind but
 * 'prorate'): taken as billed right; the planner's never-twice check refuses overlaps before they are written.
 */
export const takenAsWritten = (a: Pick<JudgeAddition, 'marker'>): boolean =>
  a.marker !== null && a.marker.kind !== 'prorate' && a.marker.kind !== 'recurring';

/** A line's invoiced amount: quantity × unit price; a DoNotBill or NoCharge line bills 0.00. */
export const lineCents = (a: Pick<JudgeAddition, 'quantity' | 'unitPrice' | 'billCustomer'>): Cents =>
  (a.billCustomer ?? 'Billable') === 'Billable' ? Math.round(a.quantity * cwCents(a.unitPrice)) : 0;

/** A recurring addition bills a month when it is active on the month's first day. */
export function activeIn(
  a: Pick<JudgeAddition, 'effectiveDate' | 'cancelledDate'>,
  month: IsoMonth,
): boolean {
  const first = firstOfMonth(month);
  return (
    (a.effectiveDate === null || a.effectiveDate <= first) &&
    (a.cancelledDate === null || a.cancelledDate >= first)
  );
}

export type BillingLines = { recurring: readonly JudgeAddition[]; oneTime: readonly JudgeAddition[] };

export function willBill(lines: BillingLines, month: IsoMonth): Cents {
  let total = 0;
  for (const a of lines.recurring) if (activeIn(a, month)) total += lineCents(a);
  for (const a of lines.oneTime) {
    if (a.effectiveDate !== null && monthOf(a.effectiveDate) === month) total += lineCents(a);
  }
  return total;
}

const ENDING = new Set(['Cancelled', 'PendingCancel']);

/** The last day of service for a cancelled subscription (its end date, else today), or null while it lasts. */
export function serviceEnd(s: Pick<JudgeSubscription, 'status' | 'endDate'>, today: IsoDate): IsoDate | null {
  if (!ENDING.has(s.status) && s.endDate === null) return null;
  return s.endDate ?? today;
}

export type ShouldContext = {
  subscription: JudgeSubscription;
  today: IsoDate;
  price: Cents;
  /** The recurring line's bill option: the wizard's DoNotBill or NoCharge means nothing is owed. */
  billable: boolean;
};

/**
 * The recurring part ConnectWise should invoice for `month` (§1, §5, §7): the current seats × price, nothing
 * for a trial or after the month the service ends. Months judged are un-invoiced, so they are all ahead of today.
 */
export function shouldBill(ctx: ShouldContext, month: IsoMonth): Cents {
  const s = ctx.subscription;
  if (s.status === 'Trial' || !ctx.billable) return 0;
  const end = serviceEnd(s, ctx.today);
  return end !== null && month > monthOf(end) ? 0 : s.quantity * ctx.price;
}
