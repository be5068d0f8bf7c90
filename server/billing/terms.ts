// What a subscription's Pax8 term means for billing (spec §5): how it is billed, its commitment, when it renews,
// and when Microsoft's 7-day (168 h) window for decreases and cancellation closes. Pure: today is an input.
import { dayAfter, dayBefore, daysInMonth, type IsoDate, laterOf, parseDate, usDate } from './dates.ts';

/**
 * monthly: the monthly flow (§1–§4), whatever the commitment. upfront: one line per billing period (Annual,
 * 2-Year, 3-Year). one-time: one line, once (One-Time, Activation). trial: nothing until converted. usage: billed
 * in arrears from closed usage months. unknown: a term this product cannot bill (a named refusal).
 */
export type TermKind = 'monthly' | 'upfront' | 'one-time' | 'trial' | 'usage' | 'unknown';

export type TermInput = {
  billingTerm: string;
  startDate: IsoDate;
  /** Pax8's `commitmentTerm` (or `commitment` on the wire): the commitment and the current term's last day. */
  commitment?: { term: string; endDate?: IsoDate | null | undefined } | null | undefined;
  /** When the order was placed (ISO), when known: the window runs 168 h from then, else from the start day 00:00 UTC. */
  createdDate?: string | null | undefined;
};

export type Term = {
  kind: TermKind;
  /** Pax8's billing term as given ('Annual', '3-Year', …). */
  name: string;
  /** Months in one billing period: 1 for monthly, 12/24/36 up front; null for one-time, trial, usage, unknown. */
  periodMonths: number | null;
  /** Months the customer is bound for (NCE), or null without a commitment. */
  commitmentMonths: number | null;
  /** The current commitment term: its first and last day, when there is a commitment. */
  commitmentStart: IsoDate | null;
  commitmentEnd: IsoDate | null;
  /** The day the commitment renews (its end + 1 day). */
  renewsOn: IsoDate | null;
  /** When decreases and cancellation stop being accepted (ISO, UTC): 168 h from the purchase or the renewal. */
  windowClosesAt: string | null;
};

const WINDOW_HOURS = 168;
const HOUR_MS = 3_600_000;

const norm = (term: string): string =>
  term
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

const MONTHS: Record<string, number> = {
  monthly: 1,
  '1-month': 1,
  month: 1,
  annual: 12,
  '1-year': 12,
  yearly: 12,
  '12-months': 12,
  '2-year': 24,
  '2-years': 24,
  '24-months': 24,
  '3-year': 36,
  '3-years': 36,
  '36-months': 36,
};

/** A term name's length in months ('Annual' → 12, '3 Year' → 36), or null for a name that is not a length. */
export function termMonths(term: string): number | null {
  return MONTHS[norm(term)] ?? null;
}

/**
 * A subscription billed per period rather than month by month: a term paid up front (one line per billing
 * period) or One-Time / Activation (one line once), unless it is still a trial (a trial is judged per month).
 * The judgement and the board both ask this.
 */
export function billedPerPeriod(billingTerm: string, status: string): boolean {
  const kind = kindOf(billingTerm);
  return (kind === 'upfront' || kind === 'one-time') && status !== 'Trial';
}

/** How a Pax8 billing term is billed (see TermKind). */
export function kindOf(billingTerm: string): TermKind {
  const t = norm(billingTerm);
  if (t === 'monthly') return 'monthly';
  const months = termMonths(billingTerm);
  if (months !== null && months > 1) return 'upfront';
  if (t === 'one-time' || t === 'onetime' || t === 'activation') return 'one-time';
  if (t === 'trial') return 'trial';
  if (t === 'arrears' || t === 'usage') return 'usage';
  return 'unknown';
}

/** `date` plus n months, the day kept, or the month's last day when it has fewer (29 Feb + 12 months → 28 Feb). */
export function addMonthsToDate(date: IsoDate, n: number): IsoDate {
  const { year, month, day } = parseDate(date, 'date');
  const index = year * 12 + (month - 1) + n;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const d = Math.min(day, daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Days from `a` to `b` (b − a), on the calendar. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const at = (d: IsoDate) => {
    const { year, month, day } = parseDate(d, 'date');
    return Date.UTC(year, month - 1, day) / 86_400_000;
  };
  return at(b) - at(a);
}

/** The billing periods (or commitment terms) of `months` from `start`: the k-th runs start+k·months to the day before the next. */
export function periodAt(start: IsoDate, months: number, k: number): { start: IsoDate; end: IsoDate } {
  return {
    start: addMonthsToDate(start, k * months),
    end: dayBefore(addMonthsToDate(start, (k + 1) * months)),
  };
}

/** The period of `months` from `start` that holds `day` (the first one when `day` is earlier). */
export function periodHolding(
  start: IsoDate,
  months: number,
  day: IsoDate,
): { start: IsoDate; end: IsoDate; k: number } {
  let k = 0;
  let p = periodAt(start, months, 0);
  while (p.end < day) {
    k += 1;
    p = periodAt(start, months, k);
  }
  return { ...p, k };
}

export function termOf(input: TermInput, today: IsoDate): Term {
  const kind = kindOf(input.billingTerm);
  const periodMonths = kind === 'monthly' ? 1 : kind === 'upfront' ? termMonths(input.billingTerm) : null;
  const declared = input.commitment?.term ? termMonths(input.commitment.term) : null;
  // An up-front term is its own commitment even when Pax8 leaves the commitment out.
  const commitmentMonths = declared ?? (kind === 'upfront' ? periodMonths : null);
  const base = {
    kind,
    name: input.billingTerm,
    periodMonths,
    commitmentMonths,
    commitmentStart: null,
    commitmentEnd: null,
    renewsOn: null,
    windowClosesAt: null,
  };
  if (commitmentMonths === null || (kind !== 'monthly' && kind !== 'upfront')) return base;
  // The current term: Pax8's end date when given (it moves on each renewal), else the one holding today.
  const given = input.commitment?.endDate ? input.commitment.endDate.slice(0, 10) : null;
  // A term never ends on its own anniversary: an end date that is one (as the emulator and some Pax8 answers give
  // it) is read as the renewal day, so the term ends the day before.
  const end =
    given !== null && isAnniversary(input.startDate, given, commitmentMonths) ? dayBefore(given) : given;
  const current = end
    ? { start: addMonthsToDate(dayAfter(end), -commitmentMonths), end }
    : periodHolding(input.startDate, commitmentMonths, today);
  const commitmentStart = laterOf(current.start, input.startDate);
  const from =
    commitmentStart === input.startDate && input.createdDate?.slice(0, 10) === input.startDate
      ? Date.parse(input.createdDate)
      : Date.parse(`${commitmentStart}T00:00:00Z`);
  return {
    ...base,
    commitmentStart,
    commitmentEnd: current.end,
    renewsOn: dayAfter(current.end),
    windowClosesAt: Number.isNaN(from) ? null : new Date(from + WINDOW_HOURS * HOUR_MS).toISOString(),
  };
}

function isAnniversary(start: IsoDate, day: IsoDate, months: number): boolean {
  for (let k = 1; k <= 20; k++) {
    const at = addMonthsToDate(start, k * months);
    if (at === day) return true;
    if (at > day) return false;
  }
  return false;
}

/** Decreases and cancellation are accepted (Microsoft NCE) only until the window closes; no commitment: always. */
export function windowOpen(term: Pick<Term, 'windowClosesAt' | 'commitmentMonths'>, nowIso: string): boolean {
  if (term.commitmentMonths === null || term.windowClosesAt === null) return true;
  return Date.parse(nowIso) < Date.parse(term.windowClosesAt);
}

/** 'MM/DD/YYYY HH:MM' (UTC) of an ISO instant. */
export function usDateTime(iso: string): string {
  return `${usDate(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}

const NAMES: Record<number, string> = { 1: 'Monthly', 12: 'Annual', 24: '2-Year', 36: '3-Year' };

/**
 * The term as the plan, review, pod rows and audit say it: "Annual · renews 03/14/2027 · decrease window closes
 * 03/21/2026 14:00"; a monthly-paid commitment says both ("Annual, billed monthly · …"); a cancelled one says
 * when it ends ("Annual · ends 11/14/2026").
 */
export function termLabel(term: Term, nowIso?: string, endsOn?: IsoDate): string {
  const commitment =
    term.commitmentMonths === null
      ? null
      : (NAMES[term.commitmentMonths] ?? `${term.commitmentMonths}-Month`);
  const head =
    term.kind === 'monthly' && commitment !== null && term.commitmentMonths !== 1
      ? `${commitment}, billed monthly`
      : term.kind === 'upfront' && commitment !== null
        ? commitment
        : term.name;
  // A cancelled subscription does not renew: its end is what the member needs, not a renewal or a window.
  if (endsOn !== undefined) return `${head} · ends ${usDate(endsOn)}`;
  if (term.renewsOn === null || term.windowClosesAt === null) return head;
  const closed = nowIso !== undefined && !windowOpen(term, nowIso);
  return `${head} · renews ${usDate(term.renewsOn)} · decrease window ${closed ? 'closed' : 'closes'} ${usDateTime(term.windowClosesAt)}`;
}
