// Pax8's 422 answers to a seat change, in the words the pod shows. Pax8 words them for developers ("Invalid
// Subscription Update: …"); the member needs what happened and what to do next.
import { usDate } from '../billing/dates.ts';
import { type Term, usDateTime, windowOpen } from '../billing/terms.ts';
import { AppError, isAppError } from '../errors.ts';

type Rule = { test: RegExp; words: (m: RegExpExecArray) => string };

const rules: Rule[] = [
  {
    test: /can only be (decreased|cancell?ed) within 7 days of purchase or renewal/i,
    words: (m) =>
      `Pax8 refused: this subscription is on a commitment term, so it can be ${m[1]?.toLowerCase().startsWith('decrease') ? 'decreased' : 'cancelled'} only in the 7 days after its purchase or renewal. Try again in the window after the next renewal.`,
  },
  {
    test: /quantity must be at least (\d+)/i,
    words: (m) =>
      `Pax8 needs at least ${m[1]} seat${m[1] === '1' ? '' : 's'} on this subscription. To remove every seat, cancel the subscription instead.`,
  },
  {
    test: /exceeds the maximum of (\d+)/i,
    words: (m) => `Pax8 allows at most ${m[1]} seats of this product on one subscription.`,
  },
  {
    test: /future start date/i,
    words: () => 'This subscription has not started yet: Pax8 cannot change it before its start date.',
  },
  {
    test: /(?:is|already) (PendingCancel|Cancell?ed)/i,
    words: () => 'This subscription is already cancelled in Pax8: its seats cannot be changed.',
  },
];

/** The upstream message after Pax8's own words, e.g. 'Invalid Subscription Update: Quantity must be …'. */
const upstreamText = (err: AppError) => err.message.replace(/^Pax8 refused [^:]*:\s*/, '');

/** A Pax8 422 as a 422 seat_change_refused with plain words; anything else is returned unchanged. */
export function plainRefusal(err: unknown): unknown {
  if (!isAppError(err) || (err.details as { upstreamStatus?: number } | null)?.upstreamStatus !== 422)
    return err;
  const text = upstreamText(err);
  for (const rule of rules) {
    const m = rule.test.exec(text);
    if (m) return refused(rule.words(m), { pax8: text });
  }
  return refused(`Pax8 refused the change: ${text}`, { pax8: text });
}

export function refused(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('seat_change_refused', message, { details });
}

/**
 * The NCE rule (billing/terms.ts): a decrease or a cancellation only until 168 h after the purchase or the last
 * renewal. Null when allowed; else the refusal with when the window closed and when the next one opens.
 */
export function windowRefusal(
  what: 'decrease' | 'cancel',
  productName: string,
  term: Term,
  nowIso: string,
): AppError | null {
  if (windowOpen(term, nowIso) || term.windowClosesAt === null) return null;
  const verb = what === 'decrease' ? 'have seats removed' : 'be cancelled';
  const began = term.commitmentStart ? ` (the term began ${usDate(term.commitmentStart)})` : '';
  const next = term.renewsOn ? `; the next one opens at the renewal on ${usDate(term.renewsOn)}` : '';
  return refused(
    `${productName} is on a commitment term: it can ${verb} only in the 7 days after its purchase or renewal. ` +
      `That window closed ${usDateTime(term.windowClosesAt)} UTC${began}${next}.`,
    { closedAt: term.windowClosesAt, termStart: term.commitmentStart, renews: term.renewsOn },
  );
}

/**
 * A usage product (Azure) has no seats: Pax8 bills what was consumed, so a quantity change means nothing and the
 * pod does not offer it. Refused by the server too, so a hand-made request cannot send one.
 */
export function usageRefusal(productName: string, subscriptionId: string): AppError {
  return new AppError(
    'bad_request',
    `${productName} is billed by usage in arrears: it has no seats to change. Change its consumption in the vendor's portal; each closed month is synced as one usage line.`,
    { details: { subscriptionId, usage: true } },
  );
}
