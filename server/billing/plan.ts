// planAdditions: one subscription + one agreement snapshot → the additions to write, for review first.
import {
  dayBefore,
  endOfMonth,
  firstOfNextMonth,
  type IsoDate,
  laterOf,
  monthOf,
  parseDate,
} from './dates.ts';
import { checkDescription, longDescription, shortDescription } from './descriptions.ts';
import { BillingInputError } from './errors.ts';
import { extraMonthsAddition } from './extra-months.ts';
import { formatCents, toCents, toQuantity } from './money.ts';
import { gapProposals } from './plan-gaps.ts';
import { prorateRows } from './plan-prorates.ts';
import { recurringWrites } from './plan-recurring.ts';
import type {
  AdditionPlan,
  AdditionWrite,
  BillingSnapshot,
  ExistingAddition,
  ExtraMonthsOptions,
  PlanOptions,
  PlanWarning,
} from './plan-types.ts';
import { reviewRow } from './review.ts';

const BILL_OPTIONS = new Set(['Billable', 'DoNotBill', 'NoCharge']);
const DESCRIPTION_KINDS = new Set(['short', 'long', 'existing', 'custom']);

/**
 * The first month not yet invoiced: the month after `today`, or later when the agreement's next invoice
 * date shows the partner bills in advance (an invoice dated after the 1st covers the following month).
 */
export function firstUninvoicedDate(today: IsoDate, nextInvoiceDate?: IsoDate): IsoDate {
  const next = firstOfNextMonth(today);
  if (!nextInvoiceDate) return next;
  const { day } = parseDate(nextInvoiceDate, 'agreement.nextInvoiceDate');
  return laterOf(next, day === 1 ? nextInvoiceDate : firstOfNextMonth(nextInvoiceDate));
}

/**
 * The addition an update targets: the most recent one for the same catalog item whose cancelled date is empty
 * or after the end of the current month. One-month lines (prorates, extra months) are not recurring, so skipped.
 */
export function findCurrentAddition(
  additions: readonly ExistingAddition[],
  catalogId: string | number,
  today: IsoDate,
): ExistingAddition | undefined {
  const monthEnd = endOfMonth(monthOf(today));
  let found: ExistingAddition | undefined;
  for (const addition of additions) {
    if (String(addition.catalogId) !== String(catalogId)) continue;
    const cancelled = addition.cancelledDate;
    if (cancelled !== null && cancelled <= monthEnd) continue;
    if (cancelled !== null && cancelled === endOfMonth(monthOf(addition.effectiveDate))) continue;
    if (!found || addition.effectiveDate >= found.effectiveDate) found = addition;
  }
  return found;
}

export function planAdditions(snapshot: BillingSnapshot, options: PlanOptions = {}): AdditionPlan {
  const { subscription, agreement, product, today } = snapshot;
  parseDate(today, 'today');
  const term = subscription.billingTerm;
  const defaultEffectiveDate = firstUninvoicedDate(today, agreement.nextInvoiceDate);
  const warnings: PlanWarning[] = [];
  if (options.effectiveDate !== undefined) parseDate(options.effectiveDate, 'effectiveDate');
  const history = subscription.history.length
    ? subscription.history
    : [{ date: subscription.startDate, quantity: subscription.quantity }];
  history.forEach((change, i) => {
    parseDate(change.date, `subscription.history[${i}].date`);
    toQuantity(change.quantity, `subscription.history[${i}].quantity`);
    if (i > 0 && change.date < (history[i - 1]?.date ?? '')) {
      throw new BillingInputError(`subscription.history[${i}].date`, 'history must be oldest first');
    }
  });

  const existing = findCurrentAddition(snapshot.additions, product.catalogId, today);
  const mode = options.mode ?? (existing ? 'update' : 'create');
  if (agreement.status !== 'Active') {
    warnings.push({
      code: 'agreement_not_active',
      message: `Agreement "${agreement.name}" is ${agreement.status}; ConnectWise will not invoice its additions.`,
    });
  }
  if (subscription.status !== 'Active') {
    warnings.push({
      code: 'subscription_not_active',
      message: `The subscription is ${subscription.status}.`,
    });
  }
  if (term !== 'Monthly') {
    warnings.push({
      code: 'term_not_supported',
      message: `${term} subscriptions are not synced yet: only Monthly terms are. Nothing will be written.`,
    });
    return { term, defaultEffectiveDate, mode, writes: [], prorates: [], review: [], warnings };
  }

  const quantity = toQuantity(options.quantity ?? subscription.quantity, 'quantity');
  const unitPrice = toCents(options.unitPrice ?? product.price ?? subscription.price, 'unitPrice');
  const unitCost = toCents(options.unitCost ?? subscription.partnerCost, 'unitCost');
  if (options.mode !== undefined && options.mode !== 'update' && options.mode !== 'create') {
    throw new BillingInputError('mode', 'mode must be update or create');
  }
  if (options.description && !DESCRIPTION_KINDS.has(options.description.kind)) {
    throw new BillingInputError('description', 'description.kind must be short, long, existing or custom');
  }
  if (options.billCustomer !== undefined && !BILL_OPTIONS.has(options.billCustomer)) {
    throw new BillingInputError('billCustomer', 'billCustomer must be Billable, DoNotBill or NoCharge');
  }
  if (unitPrice < unitCost) {
    warnings.push({
      code: 'price_below_cost',
      message: `Price ${formatCents(unitPrice)} is below the partner cost ${formatCents(unitCost)}.`,
    });
  }
  const short = shortDescription(subscription.productName);
  const useExisting = mode === 'update' && existing !== undefined;
  const description = options.description ?? { kind: useExisting ? 'existing' : 'short' };
  const invoiceDescription = checkDescription(
    description.kind === 'custom'
      ? description.text
      : description.kind === 'long'
        ? longDescription(subscription.productName)
        : description.kind === 'existing' && existing
          ? existing.invoiceDescription
          : short,
    'description',
  );
  const billCustomer = options.billCustomer ?? (useExisting ? existing.billCustomer : 'Billable');
  const taxable = options.taxable ?? (useExisting ? existing.taxable : product.taxable);
  const floor = options.effectiveDate ?? defaultEffectiveDate;
  const ids = `${subscription.id}:${String(agreement.id)}`;
  const money = { unitPrice: formatCents(unitPrice), unitCost: formatCents(unitCost) };
  const common = { catalogId: product.catalogId, billCustomer, taxable };
  if (mode === 'update' && !existing) {
    warnings.push({
      code: 'no_existing_addition',
      message: 'No current addition for this product on the agreement; a new one will be created.',
    });
  }
  const writes: AdditionWrite[] = recurringWrites({
    ids,
    current: useExisting ? existing : undefined,
    previous: existing,
    quantity,
    ...money,
    ...common,
    invoiceDescription,
    floor,
  });

  const prorates = prorateRows({
    history,
    floor,
    unitCost,
    unitPrice,
    threshold: options.threshold ?? true,
    countChangeDay: options.countChangeDay ?? false,
    shortDescription: short,
    synced: new Set(snapshot.syncedChangeKeys),
    exclude: new Set(options.prorates?.exclude ?? []),
    edit: options.prorates?.edit ?? {},
  });
  for (const row of prorates) {
    if (row.synced || row.excluded || row.quantityIncrease === 0) continue;
    writes.push({
      key: `prorate:${ids}:${row.changeKey}`,
      action: 'create',
      kind: 'prorate',
      ...common,
      quantity: row.quantityIncrease,
      unitPrice: row.unitPrice,
      unitCost: row.unitCost,
      effectiveDate: row.effectiveDate,
      cancelledDate: row.cancelledDate,
      invoiceDescription: row.invoiceDescription,
      changeKey: row.changeKey,
      period: row.period,
    });
  }

  const advance = defaultEffectiveDate > firstOfNextMonth(today);
  const proposals = gapProposals({
    history,
    today,
    floor,
    billedQuantity: useExisting ? existing.quantity : 0,
    prorates,
  });
  const gapText = (p: ExtraMonthsOptions) =>
    `${p.quantity} seat(s) are not invoiced for ${p.months} month(s) from ${p.startMonth}: ` +
    `add an extra-months addition effective ${p.effectiveDate} to bill them.`;
  const [first, ...rest] = proposals;
  if (advance) {
    const invoiced = `The agreement is invoiced up to ${dayBefore(defaultEffectiveDate)}, so additions start ${defaultEffectiveDate}.`;
    warnings.push({
      code: 'billed_in_advance',
      message: first ? `${invoiced} ${gapText(first)}` : invoiced,
      ...(first ? { proposal: first } : {}),
    });
  }
  for (const proposal of advance ? rest : proposals) {
    warnings.push({ code: 'unbilled_months', message: gapText(proposal), proposal });
  }

  const extra = options.extraMonths;
  if (extra) {
    const line = extraMonthsAddition({
      effectiveDate: extra.effectiveDate,
      quantity: extra.quantity,
      startMonth: extra.startMonth,
      months: extra.months,
      unitCost: extra.unitCost ?? money.unitCost,
      unitPrice: extra.unitPrice ?? money.unitPrice,
      shortDescription: short,
    });
    writes.push({
      key: `extra:${ids}:${line.effectiveDate}:${extra.startMonth}:${extra.months}:${line.quantity}:${line.unitPrice}:${line.unitCost}`,
      action: 'create',
      kind: 'extra',
      catalogId: product.catalogId,
      billCustomer: extra.billCustomer ?? billCustomer,
      taxable: extra.taxable ?? taxable,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      unitCost: line.unitCost,
      effectiveDate: line.effectiveDate,
      cancelledDate: line.cancelledDate,
      invoiceDescription: line.invoiceDescription,
      period: line.period,
    });
  }

  const review = writes.map((write) => reviewRow(write, subscription, product.description || short));
  return {
    term,
    defaultEffectiveDate,
    mode: useExisting ? 'update' : 'create',
    writes,
    prorates,
    review,
    warnings,
  };
}
