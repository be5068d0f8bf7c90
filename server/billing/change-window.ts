// NCE seat rules (guide "Modify quantity"; reference §1.4): a subscription on a commitment term may lose seats,
// or be cancelled, only in the 7 days (168 h) after its purchase or a renewal. Pure: `now` is an input.
// Kept to one function so the term helper (server/billing/terms.ts, issue 10 item 1) can replace it.

/** The decrease and cancellation window after a purchase or renewal. */
export const CHANGE_WINDOW_MS = 168 * 3_600_000;

export type CommitmentInput = { term: string; endDate: string } | null | undefined;

export type ChangeWindow = {
  /** When the current term began (purchase or last renewal), ISO. */
  termStart: string;
  /** termStart + 168 h, ISO. */
  closesAt: string;
  /** The next renewal (the current term's end), ISO: the next window opens then. */
  renews: string;
  open: boolean;
};

/** A commitment's length in months: 'Annual'/'1-Year' 12, '3-Year' 36, 'Monthly'/'1-Month' 1. */
export function commitmentMonths(term: string): number {
  const t = term.trim().toLowerCase();
  const years = /^(\d+)[- ]?years?$/.exec(t);
  if (years) return Number(years[1]) * 12;
  const months = /^(\d+)[- ]?months?$/.exec(t);
  if (months) return Number(months[1]);
  if (t === 'monthly') return 1;
  return 12;
}

/** Calendar months on a UTC instant, as Pax8 dates its terms (setUTCMonth: the emulator does the same). */
function plusMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * The window of the term in force at `now`, or null when the subscription has no commitment (no NCE rule: seats
 * may go down any day). A term end in the past means it renewed: the window follows that renewal.
 */
export function changeWindow(commitment: CommitmentInput, now: Date): ChangeWindow | null {
  if (!commitment) return null;
  const months = commitmentMonths(commitment.term);
  const end = new Date(commitment.endDate);
  if (Number.isNaN(end.getTime())) return null;
  let k = 0;
  while (plusMonths(end, (k - 1) * months).getTime() > now.getTime()) k--;
  while (plusMonths(end, k * months).getTime() <= now.getTime()) k++;
  const termStart = plusMonths(end, (k - 1) * months);
  const renews = plusMonths(end, k * months);
  const closesAt = new Date(termStart.getTime() + CHANGE_WINDOW_MS);
  return {
    termStart: termStart.toISOString(),
    closesAt: closesAt.toISOString(),
    renews: renews.toISOString(),
    open: now.getTime() < closesAt.getTime(),
  };
}

/** '03/21/2026 14:00 UTC', the guide's date style with the time the window turns. */
export function windowTime(iso: string): string {
  return `${usDate(iso)} ${iso.slice(11, 16)} UTC`;
}

/** 'MM/DD/YYYY'. */
export function usDate(iso: string): string {
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

/** Null when allowed; else the refusal in words, with when the window closed and when the next one opens. */
export function windowRefusal(
  what: 'decrease' | 'cancel',
  productName: string,
  window: ChangeWindow | null,
): string | null {
  if (window === null || window.open) return null;
  const verb = what === 'decrease' ? 'have seats removed' : 'be cancelled';
  return (
    `${productName} is on a commitment term: it can ${verb} only in the 7 days after its purchase or renewal. ` +
    `That window closed ${windowTime(window.closesAt)} (the term began ${windowTime(window.termStart)}); ` +
    `the next one opens at the renewal on ${usDate(window.renews)}.`
  );
}
