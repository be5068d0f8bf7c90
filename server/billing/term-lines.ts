// The one-time lines a term billed up front owes (spec §5): one per billing period from the start and each
// renewal, a co-termed prorate for seats added mid-term, or one line once for a One-Time / Activation term.
// The planner proposes the ones not yet written; the judgement checks ConnectWise's lines against them.
import { dayAfter, type IsoDate, usDate } from './dates.ts';
import { trimCutText } from './descriptions.ts';
import { type Cents, mulDivHalfUp } from './money.ts';
import { quantityBefore } from './plan-prorates.ts';
import { changeKeys, type QuantityChange } from './prorate.ts';
import { daysBetween, periodAt, type Term } from './terms.ts';

export type TermLine = {
  /** 'period': a billing period's seats; 'prorate': seats added mid-term, co-termed; 'once': a one-time term. */
  kind: 'period' | 'prorate' | 'once';
  /** Stable per line: the period's first day, the change key ('<date>#<n>'), or 'once'. */
  key: string;
  changeDate?: IsoDate;
  quantity: number;
  unitCost: Cents;
  unitPrice: Cents;
  /** The service the line bills: the billing period, or change day (+1) to the term's end. */
  period: { start: IsoDate; end: IsoDate };
  invoiceDescription: string;
  /** Its period ended before the look-back: reported with its amount, never proposed. */
  older: boolean;
};

export type TermLinesInput = {
  term: Pick<Term, 'kind' | 'name' | 'periodMonths'>;
  startDate: IsoDate;
  /** Oldest first; the first entry is the initial order (a converted trial's: its conversion). */
  history: readonly QuantityChange[];
  today: IsoDate;
  /** The last day of service when the subscription ends. */
  end: IsoDate | undefined;
  /** Per unit per billing period. */
  unitCost: Cents;
  unitPrice: Cents;
  threshold: boolean;
  countChangeDay: boolean;
  shortDescription: string;
  /** A period that ended before this day is older than the look-back. */
  lookbackFrom: IsoDate;
};

/** Microsoft refunds a commitment cancelled within 7 days of its purchase or renewal: that period owes nothing. */
const WINDOW_DAYS = 7;

function addDays(date: IsoDate, n: number): IsoDate {
  let d = date;
  for (let i = 0; i < n; i++) d = dayAfter(d);
  return d;
}

/** `<short> - Annual term 03/14/2026-03/13/2027` */
export function termDescription(short: string, termName: string, start: IsoDate, end: IsoDate): string {
  return `${trimCutText(short)} - ${termName} term ${usDate(start)}-${usDate(end)}`;
}

/** `<short> - One-Time 03/14/2026` */
export function onceDescription(short: string, termName: string, start: IsoDate): string {
  return `${trimCutText(short)} - ${termName} ${usDate(start)}`;
}

/**
 * The seats a billing period bills: those of its first day, lowered by a decrease inside the 7-day window after
 * it began (Microsoft accepts it, so the customer pays for the lower count, spec §5). Increases are co-termed
 * prorates, never a change of the period line.
 */
export function periodSeats(history: readonly QuantityChange[], start: IsoDate, today: IsoDate): number {
  let seats = quantityBefore(history, dayAfter(start));
  const closes = addDays(start, WINDOW_DAYS);
  for (const change of history) {
    if (change.date <= start || change.date >= closes || change.date > today) continue;
    if (change.quantity < seats) seats = change.quantity;
  }
  return seats;
}

export function termLines(input: TermLinesInput): TermLine[] {
  const { term, today, end } = input;
  const history = input.history.length ? input.history : [];
  const started = history[0]?.date ?? input.startDate;
  if (term.kind === 'one-time') {
    const quantity = history[0]?.quantity ?? 0;
    if (quantity === 0 || started > today) return [];
    return [
      {
        kind: 'once',
        key: 'once',
        quantity,
        unitCost: input.unitCost,
        unitPrice: input.unitPrice,
        period: { start: started, end: started },
        invoiceDescription: onceDescription(input.shortDescription, term.name, started),
        older: false,
      },
    ];
  }
  if (term.kind !== 'upfront' || term.periodMonths === null) return [];
  const months = term.periodMonths;
  const keys = changeKeys(history);
  const out: TermLine[] = [];
  for (let k = 0; ; k++) {
    const p = periodAt(started, months, k);
    if (p.start > today || (end !== undefined && p.start > end)) break;
    // Cancelled inside the window: Microsoft bills nothing for that period.
    if (end !== undefined && end < addDays(p.start, WINDOW_DAYS)) continue;
    const older = p.end < input.lookbackFrom;
    const quantity = periodSeats(history, p.start, today);
    if (quantity > 0) {
      out.push({
        kind: 'period',
        key: p.start,
        quantity,
        unitCost: input.unitCost,
        unitPrice: input.unitPrice,
        period: p,
        invoiceDescription: termDescription(input.shortDescription, term.name, p.start, p.end),
        older,
      });
    }
    // Seats added mid-term are co-termed: days left after the change day ÷ days in the term (spec §5).
    const days = daysBetween(p.start, p.end) + 1;
    let previous = quantity;
    let bar = quantity;
    history.forEach((change, i) => {
      if (change.date <= p.start || change.date > p.end || change.date > today) return;
      if (end !== undefined && change.date > end) return;
      const base = input.threshold ? bar : previous;
      const increase = change.quantity - base;
      previous = change.quantity;
      if (increase <= 0) return;
      bar = Math.max(bar, change.quantity);
      const left = daysBetween(change.date, p.end) + (input.countChangeDay ? 1 : 0);
      if (left <= 0) return;
      const from = input.countChangeDay ? change.date : dayAfter(change.date);
      out.push({
        kind: 'prorate',
        key: keys[i] ?? change.date,
        changeDate: change.date,
        quantity: increase,
        unitCost: mulDivHalfUp(input.unitCost, left, days),
        unitPrice: mulDivHalfUp(input.unitPrice, left, days),
        period: { start: from, end: p.end },
        invoiceDescription: `${trimCutText(input.shortDescription)} - Prorated for ${usDate(from)}-${usDate(p.end)}`,
        older,
      });
    });
  }
  return out;
}

const US_SPAN = /(\d{2})\/(\d{2})\/(\d{4})-(\d{2})\/(\d{2})\/(\d{4})$/;

/** The period a term line bills, read from its invoice text (`… - Annual term 03/14/2026-03/13/2027`). */
export function termPeriodOfText(text: string): { start: IsoDate; end: IsoDate } | undefined {
  const m = US_SPAN.exec(text);
  if (!m) return undefined;
  return { start: `${m[3]}-${m[1]}-${m[2]}`, end: `${m[6]}-${m[4]}-${m[5]}` };
}
