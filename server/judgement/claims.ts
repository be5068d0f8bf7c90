// Which ConnectWise additions bill which subscription: first by our marker, then (for lines written by hand or
// before markers) by catalog product, each such line claimed by at most one subscription, so two
// subscriptions of one product on one agreement are two lines, never one merged line.
import { firstOfMonth, type IsoDate, type IsoMonth } from '../billing/dates.ts';
import { kindOf } from '../billing/terms.ts';
import { isOneMonthLine, subscriptionGone } from './ghosts.ts';
import type { JudgeAddition, JudgeBinding, JudgeSubscription } from './types.ts';

export type Claimed = {
  /** Recurring lines that bill it (marked, or the one line claimed by product). */
  recurring: JudgeAddition[];
  /** One-time lines (prorates, extra months, back-bills) that bill it. */
  oneTime: JudgeAddition[];
  matchedBy: 'marker' | 'product' | null;
  /** Unmarked recurring lines of its product that no subscription claims: they bill the same seats again. */
  extras: JudgeAddition[];
};

const empty = (): Claimed => ({ recurring: [], oneTime: [], matchedBy: null, extras: [] });

/** A recurring line: marked 'recurring' (or unmarked) and not a one-month line. */
export function isRecurringLine(a: JudgeAddition): boolean {
  if (isOneMonthLine(a)) return false;
  return a.marker === null || a.marker.kind === 'recurring';
}

/** Still billing on or after the first day of `month`. */
export const billsFrom = (a: JudgeAddition, month: IsoMonth): boolean =>
  a.cancelledDate === null || a.cancelledDate >= firstOfMonth(month);

export type ClaimInput = {
  subscriptions: readonly JudgeSubscription[];
  additions: readonly JudgeAddition[];
  bindingOf: (s: JudgeSubscription) => JudgeBinding | null;
  /** The first un-invoiced month of an agreement. */
  firstMonthOf: (agreementId: number) => IsoMonth;
  today: IsoDate;
  /** The agreement in context: its lines are claimed first (a line elsewhere then reads double billed). */
  contextId?: number | null | undefined;
};

export function claimLines(input: ClaimInput): Map<string, Claimed> {
  const out = new Map<string, Claimed>(input.subscriptions.map((s) => [s.id, empty()]));
  for (const a of input.additions) {
    const mine = a.marker ? out.get(a.marker.subscriptionId) : undefined;
    if (!mine) continue;
    if (isRecurringLine(a)) {
      mine.recurring.push(a);
      mine.matchedBy = 'marker';
    } else mine.oneTime.push(a);
  }
  // By product: unmarked recurring lines still billing from their agreement's first un-invoiced month.
  const candidates = new Map<number, JudgeAddition[]>();
  for (const a of input.additions) {
    if (a.marker !== null || !isRecurringLine(a) || !billsFrom(a, input.firstMonthOf(a.agreementId)))
      continue;
    const list = candidates.get(a.catalogId) ?? [];
    list.push(a);
    candidates.set(a.catalogId, list);
  }
  const here = (a: JudgeAddition) => Number(a.agreementId === input.contextId);
  const recentFirst = (x: JudgeAddition, y: JudgeAddition) =>
    here(y) - here(x) || (y.effectiveDate ?? '').localeCompare(x.effectiveDate ?? '') || y.id - x.id;
  // Live subscriptions claim first; a cancelled one still claims what is left (it shows "cancelled, still billing").
  // A term billed per period (annual up front, one-time) has no monthly recurring line to claim by product.
  const order = [...input.subscriptions]
    .filter((s) => !billedPerPeriod(s.billingTerm))
    .sort(
      (x, y) =>
        Number(subscriptionGone(x, input.today)) - Number(subscriptionGone(y, input.today)) ||
        x.startDate.localeCompare(y.startDate) ||
        x.id.localeCompare(y.id),
    );
  for (const [catalogId, lines] of candidates) {
    lines.sort(recentFirst);
    // A subscription whose marked recurring line still bills needs no other; one whose marked line ended may
    // be billed by a line written by hand since.
    const seekers = order.filter((s) => {
      const marked = out.get(s.id)?.recurring.some((a) => billsFrom(a, input.firstMonthOf(a.agreementId)));
      return input.bindingOf(s)?.cwCatalogId === catalogId && !marked;
    });
    const take = (s: JudgeSubscription, a: JudgeAddition) => {
      const claimed = out.get(s.id);
      if (!claimed) return;
      claimed.recurring.push(a);
      claimed.matchedBy = 'product';
      lines.splice(lines.indexOf(a), 1);
    };
    // An equal quantity is the better match: two subscriptions of one product keep their own lines.
    const waiting: JudgeSubscription[] = [];
    for (const s of seekers) {
      const same = lines.find((a) => a.quantity === s.quantity);
      if (same) take(s, same);
      else waiting.push(s);
    }
    for (const s of waiting) {
      const next = lines[0];
      if (next) take(s, next);
    }
    // What is left bills the same seats again: the first live subscription of that product carries it.
    const live = seekers.filter((s) => !subscriptionGone(s, input.today));
    const holder =
      order.find((s) => input.bindingOf(s)?.cwCatalogId === catalogId && !subscriptionGone(s, input.today)) ??
      live[0];
    if (holder) out.get(holder.id)?.extras.push(...lines);
  }
  return out;
}

/**
 * For a subscription whose line was claimed by product: the other unmarked lines of that product on that
 * agreement (hand-written prorates, and recurring lines that stopped before the first un-invoiced month), so
 * the months they billed count as billed. Two such subscriptions of one product both see them: the back-bill
 * is then under-stated, never over-stated.
 */
export function handLines(
  claimed: Claimed,
  additions: readonly JudgeAddition[],
  catalogId: number,
  firstMonth: IsoMonth,
): Pick<Claimed, 'recurring' | 'oneTime'> {
  const agreementId = claimed.recurring[0]?.agreementId;
  if (claimed.matchedBy !== 'product' || agreementId === undefined) return { recurring: [], oneTime: [] };
  const mine = additions.filter(
    (a) => a.marker === null && a.catalogId === catalogId && a.agreementId === agreementId,
  );
  return {
    recurring: mine.filter((a) => isRecurringLine(a) && !billsFrom(a, firstMonth)),
    oneTime: mine.filter((a) => !isRecurringLine(a)),
  };
}

const billedPerPeriod = (billingTerm: string): boolean => {
  const kind = kindOf(billingTerm);
  return kind === 'upfront' || kind === 'one-time';
};
