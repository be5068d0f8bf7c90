// "Synced" for a term billed up front or once (spec §5, §8): the lines it owes (one per billing period, co-termed
// prorates, or one line once) against ConnectWise's one-time lines, per service month from the first un-invoiced.
// A period line owed and not written is owed in the first month; a line written is judged in its own month.
import { addMonths, type IsoDate, type IsoMonth, monthOf } from '../billing/dates.ts';
import { type Cents, dollars, timesCents } from '../billing/money.ts';
import { type TermLine, termLines, termPeriodOfText } from '../billing/term-lines.ts';
import type { Term } from '../billing/terms.ts';
import { cwCents, lineCents, serviceEnd, willBill } from './months.ts';
import type {
  JudgeAddition,
  JudgementFix,
  JudgementStatus,
  JudgeSubscription,
  MonthFigures,
} from './types.ts';

export type TermJudgeInput = {
  subscription: JudgeSubscription;
  term: Term;
  today: IsoDate;
  first: IsoMonth;
  horizon: number;
  /** A period that ended before this day is older than the look-back. */
  lookbackFrom: IsoDate;
  price: Cents;
  cost: Cents;
  threshold: boolean;
  countChangeDay: boolean;
  /** The agreement invoices on the term's cycle: the period's seats are a recurring addition (spec §5). */
  recurringTerm: boolean;
  /**
   * The agreement's next invoice month: on an agreement invoiced once per term, a recurring addition bills only in
   * that month and every term's length after it, not each month.
   */
  invoiceMonth?: IsoMonth | undefined;
  lines: { recurring: readonly JudgeAddition[]; oneTime: readonly JudgeAddition[] };
};

export type TermJudgement = {
  status: JudgementStatus;
  fix: JudgementFix;
  fixAdditionIds: number[];
  months: MonthFigures[];
  backBill: Cents;
  olderShortfall: Cents;
  message: string;
};

type Matched = { due: TermLine; line: JudgeAddition | null };

const periodStartOf = (a: JudgeAddition): IsoDate | undefined =>
  a.invoiceDescription ? termPeriodOfText(a.invoiceDescription)?.start : undefined;

/** Each owed line with the ConnectWise line that bills it (a line bills at most one). */
function matchLines(owed: readonly TermLine[], oneTime: readonly JudgeAddition[]): Matched[] {
  const free = [...oneTime];
  const take = (test: (a: JudgeAddition) => boolean): JudgeAddition | null => {
    const at = free.findIndex(test);
    return at >= 0 ? (free.splice(at, 1)[0] ?? null) : null;
  };
  const kindOf = (a: JudgeAddition) => a.marker?.kind ?? null;
  const out: Matched[] = owed.map((due) => ({ due, line: null }));
  for (const m of out) {
    const { due } = m;
    if (due.kind === 'prorate') continue;
    m.line =
      take((a) => kindOf(a) === 'period' && periodStartOf(a) === due.key) ??
      take((a) => kindOf(a) === 'period' && periodStartOf(a) === undefined);
  }
  // Prorates: the very figures first, then any line of the same seats effective after the change.
  for (const exact of [true, false]) {
    for (const m of out) {
      if (m.due.kind !== 'prorate' || m.line !== null) continue;
      const due = m.due;
      m.line = take(
        (a) =>
          kindOf(a) === 'prorate' &&
          a.quantity === due.quantity &&
          a.effectiveDate !== null &&
          a.effectiveDate > (due.changeDate ?? '') &&
          (!exact || cwCents(a.unitPrice) === due.unitPrice),
      );
    }
  }
  return out;
}

/**
 * A period line already invoiced whose amount is not the period's (a hand edit, or a decrease inside the window
 * after it was invoiced): nothing is written for it, so the member reads the amount and credits or bills by hand.
 */
function invoicedGap(
  matched: readonly Matched[],
  first: IsoMonth,
): { status: JudgementStatus; message: string } | null {
  const parts: string[] = [];
  let gap = 0;
  let seats = false;
  for (const { due, line } of matched) {
    if (due.kind !== 'period' || line === null || line.effectiveDate === null) continue;
    if (monthOf(line.effectiveDate) >= first || (line.billCustomer ?? 'Billable') !== 'Billable') continue;
    const billed = lineCents(line);
    const owed = amountOf(due);
    if (billed === owed) continue;
    gap += owed - billed;
    seats ||= line.quantity !== due.quantity;
    parts.push(
      `${what(due)} was invoiced as ${line.quantity} × ${dollars(cwCents(line.unitPrice))} = ${dollars(billed)}; the period owes ${due.quantity} × ${dollars(due.unitPrice)} = ${dollars(owed)}`,
    );
  }
  if (parts.length === 0) return null;
  const tail =
    gap < 0
      ? `The customer was billed ${dollars(-gap)} too much: a sync writes nothing for an invoiced line; credit it by hand if you agree.`
      : `${dollars(gap)} not billed: a sync writes nothing for an invoiced line; bill it by hand if you agree.`;
  return { status: seats ? 'quantity_differs' : 'price_differs', message: `${parts.join('; ')}. ${tail}` };
}

/** A month the agreement invoices, given its next invoice month and its cycle (unknown: every month). */
function invoicedIn(month: IsoMonth, next: IsoMonth | undefined, cycleMonths: number | null): boolean {
  if (next === undefined || cycleMonths === null) return true;
  const [y1, m1] = next.split('-').map(Number) as [number, number];
  const [y2, m2] = month.split('-').map(Number) as [number, number];
  const diff = (y2 - y1) * 12 + (m2 - m1);
  return ((diff % cycleMonths) + cycleMonths) % cycleMonths === 0;
}

const amountOf = (line: TermLine): Cents => timesCents(line.unitPrice, line.quantity, 'quantity');

/** `Annual term 03/14/2026-03/13/2027` from `<short> - Annual term …`. */
const what = (line: TermLine): string =>
  line.invoiceDescription.split(' - ').at(-1) ?? line.invoiceDescription;

export function judgeTerm(x: TermJudgeInput): TermJudgement {
  const s = x.subscription;
  const end = serviceEnd(s, x.today) ?? undefined;
  const history = s.history ?? [{ date: s.startDate, quantity: s.quantity }];
  const owed = termLines({
    term: x.term,
    startDate: s.startDate,
    history,
    today: x.today,
    end,
    unitCost: x.cost,
    unitPrice: x.price,
    threshold: x.threshold,
    countChangeDay: x.countChangeDay,
    shortDescription: '',
    lookbackFrom: x.lookbackFrom,
  }).filter(
    (l) =>
      (s.history !== undefined || l.kind !== 'prorate') &&
      !(x.recurringTerm && l.kind === 'period') &&
      // A co-termed prorate waived at the seat change ("I want to waive prorate") is not owed.
      !(l.kind === 'prorate' && s.waivedChangeKeys?.includes(l.key)),
  );
  const matched = matchLines(owed, x.lines.oneTime);
  const months: MonthFigures[] = Array.from({ length: x.horizon }, (_, i) => {
    const month = addMonths(x.first, i);
    const ended = end !== undefined && month > monthOf(end);
    const invoices = !x.recurringTerm || invoicedIn(month, x.invoiceMonth, x.term.periodMonths);
    const recurring =
      x.recurringTerm && invoices && !ended && s.status !== 'Trial' ? s.quantity * x.price : 0;
    // Outside the invoice month, the recurring addition bills nothing: only the one-time lines count.
    const will = invoices
      ? willBill(x.lines, month)
      : willBill({ recurring: [], oneTime: x.lines.oneTime }, month);
    return { month, will, should: recurring };
  });
  const monthAt = (month: IsoMonth) => months.find((m) => m.month === month);
  let backBill = 0;
  let olderShortfall = 0;
  const missing: TermLine[] = [];
  for (const { due, line } of matched) {
    if (line === null) {
      if (due.older) {
        olderShortfall += amountOf(due);
        continue;
      }
      backBill += amountOf(due);
      missing.push(due);
      const at = months[0];
      if (at) at.should += amountOf(due);
      continue;
    }
    // Without history the seats of a period are not known: a written period line is taken as written.
    const should = s.history === undefined ? lineCents(line) : amountOf(due);
    const at = line.effectiveDate ? monthAt(monthOf(line.effectiveDate)) : undefined;
    if (at) at.should += (line.billCustomer ?? 'Billable') === 'Billable' ? should : 0;
  }
  const used = new Set(matched.flatMap((m) => (m.line ? [m.line] : [])));
  // Without history the co-termed prorates cannot be judged: our marked prorate lines are taken as written.
  if (s.history === undefined) {
    for (const a of x.lines.oneTime) {
      if (used.has(a) || a.marker?.kind !== 'prorate' || a.effectiveDate === null) continue;
      const at = monthAt(monthOf(a.effectiveDate));
      if (!at) continue;
      at.should += lineCents(a);
      used.add(a);
    }
  }
  const extra = [
    ...(x.recurringTerm ? [] : x.lines.recurring),
    ...x.lines.oneTime.filter(
      (a) => !used.has(a) && a.effectiveDate !== null && monthAt(monthOf(a.effectiveDate)),
    ),
  ].filter((a) => months.some((m) => willBill({ recurring: [a], oneTime: [a] }, m.month) > 0));
  const off = months.find((m) => m.will > m.should) ?? months.find((m) => m.will !== m.should);
  const sum = (lines: readonly TermLine[]) => lines.reduce((n, l) => n + amountOf(l), 0);
  const invoiced = s.history === undefined ? null : invoicedGap(matched, x.first);
  if (!off && missing.length === 0 && invoiced) {
    // Only an invoiced line is off: a sync writes nothing there (plan-terms warns), so no Sync is offered.
    return {
      status: invoiced.status,
      fix: 'none',
      fixAdditionIds: [],
      months,
      backBill,
      olderShortfall,
      message: invoiced.message,
    };
  }
  if (!off && missing.length === 0) {
    const billed = matched.filter((m) => m.line !== null && m.due.kind !== 'prorate').at(-1);
    const note = billed ? ` (${what(billed.due)} billed)` : '';
    return {
      status: 'synced',
      fix: 'none',
      fixAdditionIds: [],
      months,
      backBill,
      olderShortfall,
      message: `ConnectWise bills it as it should${note}.`,
    };
  }
  if (off && off.will > off.should) {
    const status: JudgementStatus =
      end !== undefined ? 'cancelled_billing' : s.status === 'Trial' ? 'trial_billing' : 'duplicate';
    const over = months.reduce((n, m) => n + Math.max(0, m.will - m.should), 0);
    return {
      status,
      fix: extra.length > 0 ? 'cancel_addition' : 'sync',
      fixAdditionIds: extra.map((a) => a.id),
      months,
      backBill,
      olderShortfall,
      message: `ConnectWise will bill ${dollars(over)} too much.`,
    };
  }
  const nothingYet = matched.every((m) => m.line === null) && x.lines.recurring.length === 0;
  const short =
    missing.length > 0 ? sum(missing) : months.reduce((n, m) => n + Math.max(0, m.should - m.will), 0);
  const names = missing.map(what).join(', ');
  // Without history (the audit reads none, to stay at a constant number of calls) a period is valued at today's
  // seats, which the sync may not write (seats added mid-term are co-termed): say it is an estimate.
  const estimate =
    s.history === undefined && missing.some((l) => l.kind === 'period')
      ? ` Estimate at today's ${s.quantity} seat${s.quantity === 1 ? '' : 's'}: the sync values each period at the seats of its first day plus co-termed prorates.`
      : '';
  return {
    status: nothingYet ? 'not_on_agreement' : missing.length > 0 ? 'prorate_pending' : 'quantity_differs',
    fix: 'sync',
    fixAdditionIds: [],
    months,
    backBill,
    olderShortfall,
    message: `${dollars(short)} not billed${names ? ` (${names})` : ''}.${estimate}`,
  };
}
