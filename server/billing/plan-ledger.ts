// What ConnectWise billed (or will bill) for one subscription, read from the agreement's additions and their
// markers (spec §8), with the journal's record of past quantities: the ledger back-billing is judged against.
import { endOfMonth, firstOfMonth, type IsoDate, type IsoMonth, monthOf } from './dates.ts';
import type { ExistingAddition, RecurringLogEntry } from './plan-types.ts';

/** A one-time line (cancelled in the month it starts) is a prorate or extra months, not the recurring one. */
export function isOneMonthLine(a: Pick<ExistingAddition, 'effectiveDate' | 'cancelledDate'>): boolean {
  return a.cancelledDate !== null && monthOf(a.cancelledDate) === monthOf(a.effectiveDate);
}

export type OwnAddition = { addition: ExistingAddition; matchedByProduct: boolean };

/**
 * The recurring addition that bills this subscription (spec §2, §7 "one subscription, one addition"): the current
 * one whose marker names it; without one, the most recent current addition of the same catalog item that no
 * other subscription claims (by marker, or by the journal's `claims`). Current: cancelled empty or after this
 * month's end.
 */
export function ownAddition(
  additions: readonly ExistingAddition[],
  subscriptionId: string,
  catalogId: string | number,
  today: IsoDate,
  claims: Readonly<Record<string, string>> = {},
): OwnAddition | undefined {
  const monthEnd = endOfMonth(monthOf(today));
  const current = (a: ExistingAddition) =>
    (a.cancelledDate === null || a.cancelledDate > monthEnd) && !isOneMonthLine(a);
  const latest = (list: ExistingAddition[]) =>
    list.reduce<ExistingAddition | undefined>(
      (best, a) => (!best || a.effectiveDate >= best.effectiveDate ? a : best),
      undefined,
    );
  const marked = latest(
    additions.filter(
      (a) => a.marker?.subscriptionId === subscriptionId && a.marker.kind === 'recurring' && current(a),
    ),
  );
  if (marked) return { addition: marked, matchedByProduct: false };
  const free = latest(
    additions.filter((a) => {
      if (String(a.catalogId) !== String(catalogId) || !current(a)) return false;
      if (a.marker && a.marker.subscriptionId !== subscriptionId) return false;
      const claimedBy = claims[String(a.id)];
      return claimedBy === undefined || claimedBy === subscriptionId;
    }),
  );
  return free ? { addition: free, matchedByProduct: true } : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthNumber = (name: string): number => MONTHS.indexOf(name.slice(0, 3)) + 1;
const SPAN = / - ([A-Z][a-z]{2}) (\d{4}) to ([A-Z][a-z]{2}) (\d{4})$/;
const ONE = / - ([A-Z][a-z]+) (\d{4})$/;

/** The months an extra-months line bills, read from its invoice text (`<short> - Feb 2021 to Apr 2021`). */
export function periodOfText(text: string): { start: IsoDate; end: IsoDate } | undefined {
  const iso = (name: string, year: string) => {
    const m = monthNumber(name);
    return m > 0 ? `${year}-${String(m).padStart(2, '0')}` : undefined;
  };
  const span = SPAN.exec(text);
  const one = span ? null : ONE.exec(text);
  const first = span ? iso(span[1] ?? '', span[2] ?? '') : one ? iso(one[1] ?? '', one[2] ?? '') : undefined;
  const last = span ? iso(span[3] ?? '', span[4] ?? '') : first;
  if (!first || !last || last < first) return undefined;
  return { start: firstOfMonth(first), end: endOfMonth(last) };
}

export type Ledger = {
  /** Whole-month seats ConnectWise billed for a service month: recurring lines on its invoice, extra lines. */
  seats(month: IsoMonth): number;
};

/**
 * Reads the additions of one subscription. A recurring addition bills a month when it is active on the month's
 * 1st (the invoice date), with the quantity it had then: the journal's last write before that day, else (no
 * record: written by hand, or the journal was lost) its current quantity.
 */
export function ledgerOf(input: {
  additions: readonly ExistingAddition[];
  subscriptionId: string;
  catalogId: string | number;
  own: ExistingAddition | undefined;
  log: readonly RecurringLogEntry[];
  claims?: Readonly<Record<string, string>> | undefined;
}): Ledger {
  const { subscriptionId, own, log } = input;
  const claims = input.claims ?? {};
  // A line of the same product without a marker, that no other subscription claims, counts as this one's: a
  // month billed by hand is never billed again (never twice wins over a missed line).
  const unclaimed = (a: ExistingAddition) =>
    !a.marker &&
    String(a.catalogId) === String(input.catalogId) &&
    (claims[String(a.id)] ?? subscriptionId) === subscriptionId;
  // A marker says what a line is (a recurring line cancelled in its first month looks one-time but billed as
  // recurring); a line without one is judged by its shape.
  const mine = (a: ExistingAddition, kind: 'recurring' | 'extra') =>
    a.marker
      ? a.marker.subscriptionId === subscriptionId && a.marker.kind === kind
      : unclaimed(a) && isOneMonthLine(a) === (kind === 'extra');
  const recurring = input.additions.filter((a) => mine(a, 'recurring') || a === own);
  const extras = input.additions.flatMap((a) => {
    if (!mine(a, 'extra')) return [];
    const period = a.period ?? periodOfText(a.invoiceDescription);
    return period ? [{ quantity: a.quantity, from: monthOf(period.start), to: monthOf(period.end) }] : [];
  });
  const quantityOn = (a: ExistingAddition, day: IsoDate): number => {
    const entries = log.filter((e) => String(e.additionId) === String(a.id));
    if (entries.length === 0) return a.quantity;
    let quantity = entries[0]?.before ?? 0;
    for (const e of entries) if (e.date < day) quantity = e.after;
    return quantity;
  };
  return {
    seats(month) {
      const day = firstOfMonth(month);
      let seats = 0;
      for (const a of recurring) {
        if (a.effectiveDate <= day && (a.cancelledDate === null || a.cancelledDate >= day)) {
          seats += quantityOn(a, day);
        }
      }
      for (const e of extras) if (e.from <= month && month <= e.to) seats += e.quantity;
      return seats;
    },
  };
}
