// The writes for a term billed up front or once (spec §5): each owed line not yet on the agreement, as a one-time
// addition in the first un-invoiced month; on an agreement whose billing cycle matches the term, the period's
// seats as a recurring addition instead (co-termed prorates stay one-time lines).
import { endOfMonth, firstOfMonth, type IsoDate, monthOf } from './dates.ts';
import { dollars, formatCents, lineMoney, timesCents, toCents } from './money.ts';
import { expectedOf, recurringWrites } from './plan-recurring.ts';
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
  return new Set(periodAdditions(additions, subscriptionId).keys());
}

/** Each period's first day → the marked 'period' line that bills it (the first one, when there are two). */
export function periodAdditions(
  additions: readonly ExistingAddition[],
  subscriptionId: string,
): Map<IsoDate, ExistingAddition> {
  const out = new Map<IsoDate, ExistingAddition>();
  for (const a of additions) {
    if (a.marker?.subscriptionId !== subscriptionId || a.marker.kind !== 'period') continue;
    const period = a.period ?? termPeriodOfText(a.invoiceDescription);
    const start = period?.start ?? a.effectiveDate;
    if (!out.has(start)) out.set(start, a);
  }
  return out;
}

/**
 * A period line already written whose seats or price are not the period's (a hand edit, or a decrease inside the
 * window after it was written). Not invoiced yet (it starts in or after the first un-invoiced month): set it to
 * the period's figures. Invoiced: nothing is written silently; a warning says by how much the customer was
 * billed too much or too little, for the member to credit or bill by hand.
 */
function periodFix(
  ids: string,
  line: TermLine,
  written: ExistingAddition,
  floor: IsoDate,
): { write?: AdditionWrite; warning?: PlanWarning } {
  const expected = expectedOf(written);
  const unitPrice = formatCents(line.unitPrice);
  const unitCost = formatCents(line.unitCost);
  if (
    expected.quantity === line.quantity &&
    expected.unitPrice === unitPrice &&
    expected.unitCost === unitCost
  )
    return {};
  if (written.effectiveDate >= firstOfMonth(monthOf(floor))) {
    return {
      write: {
        key: `period:${ids}:${line.key}:update:${line.quantity}:${unitPrice}:${unitCost}`,
        action: 'update',
        kind: 'period',
        additionId: written.id,
        catalogId: written.catalogId,
        quantity: line.quantity,
        unitPrice,
        unitCost,
        effectiveDate: written.effectiveDate,
        cancelledDate: written.cancelledDate,
        invoiceDescription: written.invoiceDescription,
        billCustomer: written.billCustomer,
        taxable: written.taxable,
        period: line.period,
        expected,
      },
    };
  }
  const owed = timesCents(line.unitPrice, line.quantity, 'quantity');
  const billed = timesCents(toCents(written.unitPrice, 'additions.unitPrice'), written.quantity, 'quantity');
  const gap = owed - billed;
  const what = `${written.invoiceDescription} was invoiced as ${written.quantity} × ${dollars(toCents(written.unitPrice, 'additions.unitPrice'))} = ${dollars(billed)}; the period owes ${line.quantity} × ${dollars(line.unitPrice)} = ${dollars(owed)}`;
  return {
    warning: {
      code: 'period_line_invoiced',
      amount: formatCents(Math.abs(gap)),
      message:
        gap < 0
          ? `${what}. The customer was billed ${dollars(-gap)} too much: nothing is written; credit it by hand if you agree.`
          : `${what}. ${dollars(gap)} not billed: nothing is written; add a one-time line by hand if you agree.`,
    },
  };
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
  const written = periodAdditions(input.additions, input.subscriptionId);
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
    if (line.kind === 'period' && recurring) continue;
    const writtenLine = line.kind === 'period' ? written.get(line.key) : undefined;
    if (writtenLine) {
      const fix = periodFix(input.ids, line, writtenLine, input.floor);
      if (fix.write) writes.push(fix.write);
      if (fix.warning) warnings.push(fix.warning);
      continue;
    }
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
