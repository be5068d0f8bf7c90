// planAdditions: one subscription + one agreement snapshot → the additions to write, for review first.
import {
  addMonths,
  dayBefore,
  endOfMonth,
  firstOfMonth,
  firstOfNextMonth,
  type IsoDate,
  type IsoMonth,
  laterOf,
  monthOf,
  parseDate,
  usDate,
} from './dates.ts';
import { checkDescription, longDescription, microsoftDescription, shortDescription } from './descriptions.ts';
import { BillingInputError } from './errors.ts';
import { formatCents, toCents, toQuantity } from './money.ts';
import {
  beyondLookback,
  billedAfterEnd,
  lookbackStart,
  REPORT_MONTHS_BEYOND_LOOKBACK,
  seatsDue,
  shortfalls,
} from './plan-backbill.ts';
import { backBillWrite, userExtraWrite } from './plan-extra.ts';
import { ledgerOf, ownAddition } from './plan-ledger.ts';
import { billedHistory, serviceEnd } from './plan-life.ts';
import { DEFAULT_LOOKBACK_MONTHS, prorateRows } from './plan-prorates.ts';
import { endWrites, recurringWrites } from './plan-recurring.ts';
import { cycleMatches, planTermWrites } from './plan-terms.ts';
import type {
  AdditionPlan,
  AdditionWrite,
  BillingSnapshot,
  ExistingAddition,
  PlanOptions,
  PlanWarning,
} from './plan-types.ts';
import { planUsage } from './plan-usage.ts';
import { reviewRow } from './review.ts';
import { termLabel, termOf } from './terms.ts';

const BILL_OPTIONS = new Set(['Billable', 'DoNotBill', 'NoCharge']);
const DESCRIPTION_KINDS = new Set(['short', 'long', 'microsoft', 'existing', 'custom']);

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

/** The idempotency key of a prorate write: the marker's write id is derived from it (spec §8). */
export const prorateKey = (subscriptionId: string, agreementId: string | number, changeKey: string): string =>
  `prorate:${subscriptionId}:${String(agreementId)}:${changeKey}`;

/** The addition an update targets: see ownAddition (by marker, else by catalog product, unclaimed). */
export function findCurrentAddition(
  additions: readonly ExistingAddition[],
  catalogId: string | number,
  today: IsoDate,
  subscriptionId = '',
): ExistingAddition | undefined {
  return ownAddition(additions, subscriptionId, catalogId, today)?.addition;
}

export function planAdditions(snapshot: BillingSnapshot, options: PlanOptions = {}): AdditionPlan {
  const { subscription, agreement, product, today } = snapshot;
  parseDate(today, 'today');
  const term = subscription.billingTerm;
  const defaultEffectiveDate = firstUninvoicedDate(today, agreement.nextInvoiceDate);
  // Usage is billed in arrears per closed month, never as a recurring addition (spec §5): its own planner.
  if (snapshot.usage) return planUsage(snapshot, options, defaultEffectiveDate);
  const warnings: PlanWarning[] = [];
  if (options.effectiveDate !== undefined) parseDate(options.effectiveDate, 'effectiveDate');
  const lookback = options.lookbackMonths ?? DEFAULT_LOOKBACK_MONTHS;
  if (!Number.isSafeInteger(lookback) || lookback < 0 || lookback > 120) {
    throw new BillingInputError('lookbackMonths', 'lookbackMonths must be a whole number from 0 to 120');
  }
  const raw = subscription.history.length
    ? subscription.history
    : [{ date: subscription.startDate, quantity: subscription.quantity }];
  raw.forEach((change, i) => {
    parseDate(change.date, `subscription.history[${i}].date`);
    toQuantity(change.quantity, `subscription.history[${i}].quantity`);
    if (i > 0 && change.date < (raw[i - 1]?.date ?? '')) {
      throw new BillingInputError(`subscription.history[${i}].date`, 'history must be oldest first');
    }
  });
  if (subscription.convertedDate !== undefined)
    parseDate(subscription.convertedDate, 'subscription.convertedDate');
  const history = billedHistory(raw, subscription.convertedDate);

  const found = ownAddition(snapshot.additions, subscription.id, product.catalogId, today, snapshot.claims);
  const existing = found?.addition;
  const mode = options.mode ?? (existing ? 'update' : 'create');
  const matchedByProduct = found?.matchedByProduct === true;
  const termInfo = termOf(
    {
      billingTerm: term,
      startDate: subscription.startDate,
      commitment: subscription.commitment,
      createdDate: subscription.createdDate,
    },
    today,
  );
  const label = termLabel(termInfo, `${today}T00:00:00Z`, serviceEnd(subscription, today));
  const empty = (): AdditionPlan => ({
    term,
    termLabel: label,
    defaultEffectiveDate,
    mode,
    writes: [],
    prorates: [],
    review: [],
    warnings,
    matchedByProduct,
  });
  if (agreement.status !== 'Active') {
    warnings.push({
      code: 'agreement_not_active',
      message: `Agreement "${agreement.name}" is ${agreement.status}; ConnectWise will not invoice its additions.`,
    });
  }
  const end = serviceEnd(subscription, today);
  if (end !== undefined) parseDate(end, 'subscription.endDate');
  if (subscription.status === 'Trial') {
    warnings.push({
      code: 'trial',
      message: 'The subscription is a trial: nothing is billed until it converts.',
    });
    return empty();
  }
  if (end !== undefined) {
    warnings.push({
      code: 'subscription_cancelled',
      message: `The subscription ends ${usDate(end)}: its recurring addition stops after ${usDate(endOfMonth(monthOf(end)))}.`,
    });
  } else if (subscription.status !== 'Active' && subscription.status !== 'Converted') {
    warnings.push({
      code: 'subscription_not_active',
      message: `The subscription is ${subscription.status}.`,
    });
  }
  const refusal = termRefusal(termInfo.kind, term, subscription.status);
  if (refusal) {
    warnings.push(refusal);
    return empty();
  }
  const perPeriod = termInfo.kind !== 'monthly' && !cycleMatches(termInfo, agreement.billingCycle);
  if (existing && matchedByProduct && !perPeriod) {
    warnings.push({
      code: 'matched_by_product',
      message: `ConnectWise addition ${String(existing.id)} was matched by product (no marker names this subscription); the write adds the marker.`,
    });
  }

  const quantity = toQuantity(options.quantity ?? subscription.quantity, 'quantity');
  const unitPrice = toCents(options.unitPrice ?? product.price ?? subscription.price, 'unitPrice');
  const unitCost = toCents(options.unitCost ?? subscription.partnerCost, 'unitCost');
  if (options.mode !== undefined && options.mode !== 'update' && options.mode !== 'create') {
    throw new BillingInputError('mode', 'mode must be update or create');
  }
  if (options.description && !DESCRIPTION_KINDS.has(options.description.kind)) {
    throw new BillingInputError(
      'description',
      'description.kind must be short, long, microsoft, existing or custom',
    );
  }
  if (options.billCustomer !== undefined && !BILL_OPTIONS.has(options.billCustomer)) {
    throw new BillingInputError('billCustomer', 'billCustomer must be Billable, DoNotBill or NoCharge');
  }
  const edits = options.prorates?.edit ?? {};
  for (const e of Object.values(edits)) {
    if (e.billCustomer !== undefined && !BILL_OPTIONS.has(e.billCustomer)) {
      throw new BillingInputError(
        'prorates',
        'a prorate billCustomer must be Billable, DoNotBill or NoCharge',
      );
    }
  }
  if (unitPrice < unitCost) {
    warnings.push({
      code: 'price_below_cost',
      message: `Price ${formatCents(unitPrice)} is below the partner cost ${formatCents(unitCost)}.`,
    });
  }
  // A term billed per period has no recurring line of its own: a line of its product is not its to update.
  const useExisting = mode === 'update' && existing !== undefined && !perPeriod;
  const description = options.description ?? { kind: useExisting ? 'existing' : 'short' };
  // The stem of the prorate, extra-month and back-bill texts: the short text, or the vendor's own name when
  // the Microsoft option is chosen (guide: "Pax8 - Microsoft Office 365 Enterprise E3 - Prorated for …").
  const short =
    description.kind === 'microsoft'
      ? microsoftDescription(subscription.productName)
      : shortDescription(subscription.productName);
  const invoiceDescription = checkDescription(
    description.kind === 'custom'
      ? description.text
      : description.kind === 'long'
        ? longDescription(subscription.productName)
        : description.kind === 'microsoft'
          ? short
          : description.kind === 'existing' && existing
            ? existing.invoiceDescription
            : short,
    'description',
  );
  // A new line takes the binding's default bill option (else the tenant's); an update keeps the addition's.
  const billCustomer =
    options.billCustomer ?? (useExisting ? existing.billCustomer : (product.billCustomer ?? 'Billable'));
  const taxable = options.taxable ?? (useExisting ? existing.taxable : product.taxable);
  if (termInfo.kind === 'upfront' || termInfo.kind === 'one-time') {
    const floorDate = options.effectiveDate ?? defaultEffectiveDate;
    const planned = planTermWrites({
      ids: `${subscription.id}:${String(agreement.id)}`,
      subscriptionId: subscription.id,
      term: termInfo,
      startDate: subscription.startDate,
      history,
      today,
      end,
      floor: floorDate,
      lookbackFrom: firstOfMonth(lookbackStart(today, floorDate, lookback)),
      unitCost,
      unitPrice,
      threshold: options.threshold ?? true,
      countChangeDay: options.countChangeDay ?? false,
      // The chosen text (long, custom) is the stem of the period line, as it is the recurring line's text.
      shortDescription: invoiceDescription,
      catalogId: product.catalogId,
      billCustomer,
      taxable,
      additions: snapshot.additions,
      syncedChangeKeys: new Set(snapshot.syncedChangeKeys),
      excludeProrates: new Set(options.prorates?.exclude ?? []),
      waived: new Set(snapshot.waivedChangeKeys ?? []),
      lineBill: edits,
      billingCycle: agreement.billingCycle,
      existing: useExisting ? existing : undefined,
      invoiceDescription,
      quantity,
    });
    warnings.push(...planned.warnings);
    return {
      term,
      termLabel: label,
      defaultEffectiveDate,
      mode: useExisting ? 'update' : 'create',
      writes: planned.writes,
      prorates: planned.prorates,
      review: planned.writes.map((w) => reviewRow(w, subscription, product.description || short, label)),
      warnings,
      matchedByProduct: useExisting && matchedByProduct,
    };
  }
  // An update changes the addition now: ConnectWise bills its new figures from the first un-invoiced month. A
  // later date would move the back-bill floor and bill the months in between twice (spec §7 never twice).
  const updatesNow = useExisting && end === undefined;
  const floor = updatesNow ? defaultEffectiveDate : (options.effectiveDate ?? defaultEffectiveDate);
  if (updatesNow && options.effectiveDate !== undefined && options.effectiveDate !== defaultEffectiveDate) {
    warnings.push({
      code: 'effective_date_not_used',
      message: `An update keeps the addition's effective date and bills the new figures from ${usDate(defaultEffectiveDate)}, the first month not yet invoiced; ${usDate(options.effectiveDate)} is not used. To start on that date, choose create new.`,
    });
  }
  const floorMonth = monthOf(floor);
  const ids = `${subscription.id}:${String(agreement.id)}`;
  const money = { unitPrice: formatCents(unitPrice), unitCost: formatCents(unitCost) };
  const common = { catalogId: product.catalogId, billCustomer, taxable };
  const endMonth = end === undefined ? undefined : monthOf(end);
  const ended = endMonth !== undefined && endMonth < floorMonth;
  if (mode === 'update' && !existing && !ended) {
    warnings.push({
      code: 'no_existing_addition',
      message: 'No current addition for this product on the agreement; a new one will be created.',
    });
  }
  const writes: AdditionWrite[] =
    end !== undefined
      ? existing
        ? endWrites(ids, existing, endOfMonth(monthOf(end)))
        : []
      : recurringWrites({
          ids,
          current: useExisting ? existing : undefined,
          previous: existing,
          quantity,
          ...money,
          ...common,
          invoiceDescription,
          floor,
        });

  // Months already invoiced: what the ledger shows ConnectWise billed against what the spec says (§7).
  const span = { history, endMonth };
  const ledger = ledgerOf({
    additions: snapshot.additions,
    subscriptionId: subscription.id,
    catalogId: product.catalogId,
    own: existing,
    log: snapshot.recurringLog ?? [],
    claims: snapshot.claims,
  });
  const windowStart = lookbackStart(today, floor, lookback);
  const reportStart = addMonths(windowStart, -REPORT_MONTHS_BEYOND_LOOKBACK);
  const prorateContext = {
    history,
    floor,
    unitCost,
    unitPrice,
    threshold: options.threshold ?? true,
    countChangeDay: options.countChangeDay ?? false,
    shortDescription: short,
    synced: new Set(snapshot.syncedChangeKeys),
    waived: new Set(snapshot.waivedChangeKeys ?? []),
    billedWhole: (month: IsoMonth) => Math.max(0, ledger.seats(month) - seatsDue(span, month)),
  };
  // Each prorate line bills with its own bill option and taxable (guide: the prorate's edit form has both).
  const prorates = prorateRows({
    ...prorateContext,
    months: { from: windowStart, to: floorMonth },
    exclude: new Set(options.prorates?.exclude ?? []),
    edit: edits,
  }).map((row) => ({
    ...row,
    billCustomer: edits[row.changeKey]?.billCustomer ?? billCustomer,
    taxable: edits[row.changeKey]?.taxable ?? taxable,
  }));
  for (const row of prorates) {
    if (row.synced || row.excluded || row.waived || row.quantityIncrease === 0) continue;
    writes.push({
      key: prorateKey(subscription.id, agreement.id, row.changeKey),
      action: 'create',
      kind: 'prorate',
      ...common,
      billCustomer: row.billCustomer,
      taxable: row.taxable,
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

  const line = { ids, ...common, ...money, shortDescription: short };
  const backBill = options.backBill === false ? [] : shortfalls(span, ledger, windowStart, floorMonth, floor);
  for (const p of backBill) writes.push(backBillWrite(p, line));
  const older = beyondLookback(
    shortfalls(span, ledger, reportStart, windowStart, floor),
    prorateRows({
      ...prorateContext,
      months: { from: reportStart, to: windowStart },
      exclude: new Set(),
      edit: {},
    }),
    unitPrice,
    lookback,
  );
  if (older) warnings.push(older);
  const late = billedAfterEnd(span, ledger, floorMonth, unitPrice);
  if (late) warnings.push(late);
  if (defaultEffectiveDate > firstOfNextMonth(today)) {
    const pending = backBill.length > 0 ? ' The seats those invoices missed are back-billed below.' : '';
    warnings.push({
      code: 'billed_in_advance',
      message: `The agreement is invoiced up to ${dayBefore(defaultEffectiveDate)}, so additions start ${defaultEffectiveDate}.${pending}`,
    });
  }

  const extra = options.extraMonths;
  if (extra) {
    const planned = (month: IsoMonth) =>
      backBill.reduce(
        (n, p) => (p.startMonth <= month && month < addMonths(p.startMonth, p.months) ? n + p.quantity : n),
        0,
      );
    const continues = (month: IsoMonth) => endMonth === undefined || month <= endMonth;
    writes.push(
      userExtraWrite(extra, line, {
        due: (month) => (month < floorMonth ? seatsDue(span, month) : continues(month) ? quantity : 0),
        covered: (month) =>
          month < floorMonth ? ledger.seats(month) + planned(month) : continues(month) ? quantity : 0,
      }),
    );
  }

  const review = writes.map((write) => reviewRow(write, subscription, product.description || short, label));
  return {
    term,
    termLabel: label,
    defaultEffectiveDate,
    mode: useExisting ? 'update' : 'create',
    writes,
    prorates,
    review,
    warnings,
    matchedByProduct: useExisting && matchedByProduct,
  };
}

/** A term this product cannot bill says why (spec §5): nothing is written for it. */
function termRefusal(kind: string, term: string, status: string): PlanWarning | undefined {
  if (kind === 'unknown') {
    return {
      code: 'term_unknown',
      message: `Pax8's term "${term}" has no billing rule here (Monthly, Annual, 2-Year, 3-Year, One-Time, Activation and Trial do), so nothing will be written: bill it by hand or ask for the term to be added.`,
    };
  }
  if (kind === 'usage') {
    return {
      code: 'usage_in_arrears',
      message:
        'Usage is billed in arrears, one line per closed usage month, never as a recurring addition: sync it from the usage months.',
    };
  }
  if (kind === 'trial') {
    return {
      code: 'trial_term_unknown',
      message: `Pax8 still gives the term as Trial while the subscription is ${status}: the paid term is not known yet, so nothing will be written until Pax8 shows it.`,
    };
  }
  return undefined;
}
