// The writes for a term billed up front or once (spec §5): each owed line not yet on the agreement, as a one-time
// addition in the first un-invoiced month; on an agreement whose billing cycle matches the term, the period's
// seats as a recurring addition instead (co-termed prorates stay one-time lines).
import { endOfMonth, firstOfMonth, type IsoDate, monthOf } from './dates.ts';
import { dollars, formatCents, lineMoney, timesCents } from './money.ts';
import { recurringWrites } from './plan-recurring.ts';
import type { AdditionWrite, BillCustomer, ExistingAddition, PlanWarning, ProrateRow } from './plan-types.ts';
import type { QuantityChange } from './prorate.ts';
import { type TermLine, termLines, termPeriodOfText } from './term-lines.ts';
import { type Term, termMonths } from './terms.ts';

export type TermPlanInput = {
  ids: string;
  subscriptionId: string;
  term: Term;
  startDate: IsoDate;
  history: QuantityChange[];
  today: IsoDate;
  end: IsoDate | undefined;
  /** The first un-invoiced month's first day: every line starts there. */
  floor: IsoDate;
  lookbackFrom: IsoDate;
  unitCost: number;
  unitPrice: number;
  threshold: boolean;
  countChangeDay: boolean;
  shortDescription: string;
  catalogId: string | number;
  billCustomer: BillCustomer;
  taxable: boolean;
  additions: readonly ExistingAddition[];
  syncedChangeKeys: ReadonlySet<string>;
  excludeProrates: ReadonlySet<string>;
  /** A co-termed prorate's own bill option and taxable, by its key (the wizard's prorate edit). */
  lineBill?: Readonly<Record<string, { billCustomer?: BillCustomer; taxable?: boolean }>>;
  /** Changes whose prorate the member waived at the seat change: shown, never written. */
  waived?: ReadonlySet<string>;
  /** The agreement's billing cycle ('Annual', 'Monthly', …). */
  billingCycle: string | undefined;
  /** The subscription's own recurring addition, when the agreement bills the term on its cycle. */
  existing: ExistingAddition | undefined;
  invoiceDescription: string;
  quantity: number;
};

/** The agreement invoices once per term: the term can be a recurring addition on it (spec §5). */
export function cycleMatches(
  term: Pick<Term, 'kind' | 'periodMonths'>,
  billingCycle: string | undefined,
): boolean {
  if (term.kind !== 'upfront' || !billingCycle) return false;
  return termMonths(billingCycle) === term.periodMonths;
}

/** The line's key in the store and the marker's write: one per subscription, agreement and period. */
export const termLineKey = (ids: string, line: Pick<TermLine, 'kind' | 'key'>): string =>
  line.kind === 'prorate' ? `prorate:${ids}:${line.key}` : `${line.kind}:${ids}:${line.key}`;

/** The periods this subscription's marked 'period' lines already bill (journal first, else their text). */
export function billedPeriods(additions: readonly ExistingAddition[], subscriptionId: string): Set<IsoDate> {
  const out = new Set<IsoDate>();
  for (const a of additions) {
    if (a.marker?.subscriptionId !== subscriptionId || a.marker.kind !== 'period') continue;
    const period = a.period ?? termPeriodOfText(a.invoiceDescription);
    out.add(period?.start ?? a.effectiveDate);
  }
  return out;
}

export function planTermWrites(input: TermPlanInput): {
  writes: AdditionWrite[];
  prorates: ProrateRow[];
  warnings: PlanWarning[];
} {
  const lines = termLines({
    term: input.term,
    startDate: input.startDate,
    history: input.history,
    today: input.today,
    end: input.end,
    unitCost: input.unitCost,
    unitPrice: input.unitPrice,
    threshold: input.threshold,
    countChangeDay: input.countChangeDay,
    shortDescription: input.shortDescription,
    lookbackFrom: input.lookbackFrom,
  });
  const recurring = cycleMatches(input.term, input.billingCycle);
  const billed = billedPeriods(input.additions, input.subscriptionId);
  const onceBilled = input.additions.some(
    (a) => a.marker?.subscriptionId === input.subscriptionId && a.marker.kind === 'period',
  );
  const effectiveDate = input.floor;
  const cancelledDate = endOfMonth(monthOf(input.floor));
  const common = { catalogId: input.catalogId, billCustomer: input.billCustomer, taxable: input.taxable };
  const writes: AdditionWrite[] = [];
  const prorates: ProrateRow[] = [];
  const warnings: PlanWarning[] = [];
  let olderCents = 0;
  const olderParts: string[] = [];
  if (recurring && input.end === undefined) {
    writes.push(
      ...recurringWrites({
        ids: input.ids,
        current: input.existing,
        previous: input.existing,
        quantity: input.quantity,
        unitPrice: formatCents(input.unitPrice),
        unitCost: formatCents(input.unitCost),
        ...common,
        invoiceDescription: input.invoiceDescription,
        floor: firstOfMonth(monthOf(input.floor)),
      }),
    );
  }
  for (const line of lines) {
    if (line.kind === 'period' && (recurring || billed.has(line.key))) continue;
    if (line.kind === 'once' && onceBilled) continue;
    const synced = line.kind === 'prorate' && input.syncedChangeKeys.has(line.key);
    const money = lineMoney(line.unitCost, line.unitPrice, line.quantity, 'quantity');
    if (line.kind === 'prorate') {
      const excluded = input.excludeProrates.has(line.key);
      const waived = input.waived?.has(line.key) ?? false;
      prorates.push({
        ...lineBillOf(input, line.key),
        ...money,
        changeKey: line.key,
        changeDate: line.changeDate ?? line.period.start,
        quantityIncrease: line.quantity,
        quantity: line.quantity,
        effectiveDate,
        cancelledDate,
        period: line.period,
        invoiceDescription: line.invoiceDescription,
        synced,
        excluded,
        waived,
        edited: false,
      });
      if (synced || excluded || waived) continue;
    }
    if (line.older) {
      const amount = timesCents(line.unitPrice, line.quantity, 'quantity');
      olderCents += amount;
      olderParts.push(`${line.invoiceDescription} (${dollars(amount)})`);
      continue;
    }
    writes.push({
      key: termLineKey(input.ids, line),
      action: 'create',
      kind: line.kind === 'prorate' ? 'prorate' : 'period',
      ...common,
      ...(line.kind === 'prorate' ? lineBillOf(input, line.key) : {}),
      quantity: line.quantity,
      unitPrice: money.unitPrice,
      unitCost: money.unitCost,
      effectiveDate,
      cancelledDate,
      invoiceDescription: line.invoiceDescription,
      ...(line.kind === 'prorate' ? { changeKey: line.key } : {}),
      period: line.period,
    });
  }
  if (olderCents > 0) {
    warnings.push({
      code: 'beyond_lookback',
      amount: formatCents(olderCents),
      message: `Not billed and ended before the look-back, so not proposed: ${olderParts.join('; ')}. Total ${dollars(olderCents)}: add an extra-months line to bill it.`,
    });
  }
  return { writes, prorates, warnings };
}

/** A co-termed prorate's bill option and taxable: its own when the member set them, else the line's default. */
function lineBillOf(
  input: Pick<TermPlanInput, 'lineBill' | 'billCustomer' | 'taxable'>,
  key: string,
): { billCustomer: BillCustomer; taxable: boolean } {
  const own = input.lineBill?.[key];
  return { billCustomer: own?.billCustomer ?? input.billCustomer, taxable: own?.taxable ?? input.taxable };
}
