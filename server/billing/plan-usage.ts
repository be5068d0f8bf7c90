// Usage billed in arrears (spec §5, e.g. Azure): one one-time line per month Pax8 has closed (invoiced), at
// Pax8's partner total for cost and the binding's markup over it (else Pax8's customer charge) for price.
// Never a recurring addition, never a $0 line for a month still running.
import {
  addMonths,
  dayBefore,
  endOfMonth,
  firstOfMonth,
  type IsoDate,
  type IsoMonth,
  monthName,
  monthOf,
  usDate,
} from './dates.ts';
import { checkDescription, shortDescription, trimCutText } from './descriptions.ts';
import { BillingInputError } from './errors.ts';
import { type Cents, dollars, formatCents, mulDivHalfUp, toCents } from './money.ts';
import { ownAddition } from './plan-ledger.ts';
import { DEFAULT_LOOKBACK_MONTHS } from './plan-prorates.ts';
import { endWrites } from './plan-recurring.ts';
import type {
  AdditionPlan,
  AdditionWrite,
  BillingSnapshot,
  PlanOptions,
  PlanWarning,
  UsageMonth,
  UsageSnapshot,
} from './plan-types.ts';
import { reviewRow } from './review.ts';

/** The idempotency key of a usage month's line: one per subscription and month, whatever the agreement. */
export const usageKey = (subscriptionId: string, month: IsoMonth): string =>
  `usage:${subscriptionId}:${month}`;

/** `<short> - Usage for November 2026` */
export const usageDescription = (short: string, month: IsoMonth): string =>
  `${trimCutText(short)} - Usage for ${monthName(month)}`;

const MARKUP = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** The month's price: the markup (percent, up to two decimals) over the partner total, half-up; else Pax8's charge. */
export function usagePrice(month: UsageMonth, markupPercent: string | null | undefined): Cents {
  const cost = toCents(month.partnerTotal, `usage.${month.month}.partnerTotal`);
  if (markupPercent === null || markupPercent === undefined || markupPercent === '') {
    return toCents(month.currentCharges, `usage.${month.month}.currentCharges`);
  }
  const m = MARKUP.exec(markupPercent.trim());
  if (!m)
    throw new BillingInputError(
      'markupPercent',
      `markupPercent must be a percent like "15", got "${markupPercent}"`,
    );
  const hundredths = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return mulDivHalfUp(cost, 10_000 + hundredths, 10_000);
}

/** The first month a usage line may be billed for by default: the look-back counted from the last closed month. */
export const usageWindowStart = (floorMonth: IsoMonth, lookback: number): IsoMonth =>
  addMonths(floorMonth, -(lookback + 1));

export function planUsage(
  snapshot: BillingSnapshot,
  options: PlanOptions,
  defaultEffectiveDate: IsoDate,
): AdditionPlan {
  const { subscription, agreement, product } = snapshot;
  const usage = snapshot.usage;
  if (!usage) throw new BillingInputError('usage', 'a usage plan needs the usage months');
  const warnings: PlanWarning[] = [];
  const plan = (writes: AdditionWrite[]): AdditionPlan => ({
    term: subscription.billingTerm,
    termLabel: 'Usage · billed in arrears, one line per closed month',
    defaultEffectiveDate,
    mode: 'create',
    writes,
    prorates: [],
    review: writes.map((w) => usageReview(w, snapshot)),
    warnings,
    matchedByProduct: false,
  });
  if (agreement.status !== 'Active') {
    warnings.push({
      code: 'agreement_not_active',
      message: `Agreement "${agreement.name}" is ${agreement.status}; ConnectWise will not invoice its additions.`,
    });
  }
  if (options.extraMonths || options.quantity !== undefined) {
    warnings.push({
      code: 'usage_in_arrears',
      message: `${subscription.productName} is billed in arrears, one line per closed month: seat quantities and extra months do not apply.`,
    });
  }
  const effectiveDate = options.effectiveDate ?? defaultEffectiveDate;
  const floorMonth = monthOf(effectiveDate);
  const lookback = options.lookbackMonths ?? DEFAULT_LOOKBACK_MONTHS;
  const from = usageWindowStart(monthOf(defaultEffectiveDate), lookback);
  const billed = new Set(usage.billed);
  const short = shortDescription(subscription.productName);
  const billCustomer = options.billCustomer ?? product.billCustomer ?? 'Billable';
  const taxable = options.taxable ?? product.taxable;
  const writes: AdditionWrite[] = [];
  let older: Cents = 0;
  const olderMonths: IsoMonth[] = [];
  for (const month of [...usage.closed].sort((a, b) => (a.month < b.month ? -1 : 1))) {
    if (billed.has(month.month)) continue;
    const price = usagePrice(month, usage.markupPercent);
    if (month.month < from) {
      older += price;
      olderMonths.push(month.month);
      continue;
    }
    writes.push({
      key: usageKey(subscription.id, month.month),
      action: 'create',
      kind: 'usage',
      catalogId: product.catalogId,
      quantity: 1,
      unitCost: formatCents(toCents(month.partnerTotal, `usage.${month.month}.partnerTotal`)),
      unitPrice: formatCents(price),
      effectiveDate,
      cancelledDate: endOfMonth(floorMonth),
      invoiceDescription: checkDescription(usageDescription(short, month.month), 'description'),
      billCustomer,
      taxable,
      changeKey: month.month,
      period: { start: firstOfMonth(month.month), end: endOfMonth(month.month) },
    });
  }
  // A $0 recurring line this product wrote for it before usage was recognised: ended, never updated (spec §5).
  const recurring = ownAddition(snapshot.additions, subscription.id, product.catalogId, snapshot.today);
  if (recurring && !recurring.matchedByProduct) {
    const lastDay = dayBefore(defaultEffectiveDate);
    writes.push(...endWrites(`${subscription.id}:${String(agreement.id)}`, recurring.addition, lastDay));
    warnings.push({
      code: 'usage_recurring_ended',
      message: `Recurring addition ${String(recurring.addition.id)} is ended on ${usDate(lastDay)}: ${subscription.productName} is usage, billed per closed month, never as a recurring addition.`,
    });
  }
  if (olderMonths.length > 0) {
    warnings.push({
      code: 'beyond_lookback',
      message: `Usage for ${olderMonths.map((m) => monthName(m)).join(', ')} (${dollars(older)}) is older than the ${lookback}-month look-back and is not billed by default.`,
      amount: formatCents(older),
    });
  }
  for (const month of notClosedMonths(usage, subscription.startDate)) {
    warnings.push({
      code: 'usage_not_closed',
      message: `Usage for ${monthName(month)}: usage not closed yet. Pax8 invoices it around ${usDay(addMonths(month, 1))}; it is billed after that.`,
    });
  }
  if (writes.length === 0 && olderMonths.length === 0 && usage.closed.length > 0) {
    warnings.push({
      code: 'usage_in_arrears',
      message: 'Every closed usage month is already billed on ConnectWise.',
    });
  }
  return plan(writes);
}

/** Pax8 invoices a month around the 5th of the next (reference §1.7). */
const usDay = (month: IsoMonth): string => usDate(`${month}-05`);

/** The review row of a usage line: Pax8's side is the month's partner total and customer charge. */
function usageReview(write: AdditionWrite, snapshot: BillingSnapshot) {
  const row = reviewRow(
    write,
    snapshot.subscription,
    snapshot.product.description || write.invoiceDescription,
  );
  const month = snapshot.usage?.closed.find((m) => m.month === write.changeKey);
  if (!month) return row;
  const cost = dollars(toCents(month.partnerTotal, 'partnerTotal'));
  const charges = dollars(toCents(month.currentCharges, 'currentCharges'));
  return {
    ...row,
    title: `Creating new ConnectWise addition: usage for ${monthName(month.month)}`,
    term: { pax8: 'Arrears', connectWise: 'One-Time' },
    quantity: { ...row.quantity, pax8: '1 unit' },
    unitCost: { ...row.unitCost, pax8: cost },
    unitPrice: { ...row.unitPrice, pax8: charges },
    cost: { ...row.cost, pax8: cost },
    price: { ...row.price, pax8: charges },
  };
}

/**
 * The months the review says are not closed yet, as the pod row does (sync/usage.ts openMonths): the running
 * month and, until Pax8 invoices it around the 5th, the month before it. On 12/01 November is not closed either:
 * the wizard named only December while the row listed both.
 */
function notClosedMonths(usage: UsageSnapshot, startDate: IsoDate): IsoMonth[] {
  if (!usage.open) return [];
  const closed = new Set(usage.closed.map((m) => m.month));
  const lastClosed = usage.closed.reduce<IsoMonth | undefined>(
    (last, m) => (last === undefined || m.month > last ? m.month : last),
    undefined,
  );
  const before = addMonths(usage.open.month, -1);
  const start = monthOf(startDate || `${usage.open.month}-01`);
  const previous =
    !closed.has(before) && before >= start && (lastClosed === undefined || before > lastClosed)
      ? [before]
      : [];
  return [...previous, usage.open.month];
}
