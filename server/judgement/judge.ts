// The one judgement of "synced" (spec §8): for each subscription, from ConnectWise's own additions and our
// markers, what ConnectWise will bill per month from the first un-invoiced one against what it should, the
// status that names the difference, and the fix. Pure: no IO, no clock (`today` is an input).
import { addMonths, firstOfMonth, type IsoMonth, monthOf, parseDate } from '../billing/dates.ts';
import { firstUninvoicedDate } from '../billing/plan.ts';
import { lookbackStart } from '../billing/plan-backbill.ts';
import { billedHistory, serviceEnd } from '../billing/plan-life.ts';
import { cycleMatches } from '../billing/plan-terms.ts';
import { billedPerPeriod, termLabel, termOf } from '../billing/terms.ts';
import { billsFrom, type Claimed, claimLines, handLines } from './claims.ts';
import { ghostsOf } from './ghosts.ts';
import { lineCents, moneyCents, type ShouldContext, shouldBill, takenAsWritten, willBill } from './months.ts';
import { type DueProrate, dueProrates } from './prorates-due.ts';
import { statusOf } from './status.ts';
import { judgeTerm } from './terms-judge.ts';
import type {
  JudgeBinding,
  JudgeInput,
  Judgement,
  JudgeSubscription,
  MonthFigures,
  Verdict,
} from './types.ts';
import { moneyInWords } from './words.ts';

export const HORIZON_MONTHS = 3;
export const LOOK_BACK_MONTHS = 3;
/** How far back an older shortfall is still reported (as a warning with its amount). */
export const OLDER_MONTHS = 24;

const bindingKey = (productId: string, billingTerm: string) => `${productId}|${billingTerm}`;

export function judge(input: JudgeInput): Judgement {
  const { today } = input;
  parseDate(today, 'today');
  const agreements = new Map(input.agreements.map((a) => [a.id, a]));
  const firstMonthOf = (agreementId: number | null): IsoMonth =>
    monthOf(
      firstUninvoicedDate(
        today,
        (agreementId === null ? undefined : agreements.get(agreementId)?.nextInvoiceDate) ?? undefined,
      ),
    );
  const bindings = new Map(input.productBindings.map((b) => [bindingKey(b.pax8ProductId, b.billingTerm), b]));
  const bindingOf = (s: JudgeSubscription) => bindings.get(bindingKey(s.productId, s.billingTerm)) ?? null;
  const contextId = input.agreements[0]?.id ?? null;
  const claims = claimLines({
    subscriptions: input.subscriptions,
    additions: input.additions,
    bindingOf,
    firstMonthOf,
    today,
    contextId,
  });
  const verdicts = input.subscriptions.map((s) =>
    judgeOne({
      input,
      subscription: asBilled(s),
      binding: bindingOf(s),
      claimed: claims.get(s.id) ?? { recurring: [], oneTime: [], matchedBy: null, extras: [] },
      contextId,
      firstMonthOf,
    }),
  );
  return { verdicts, ghosts: ghostsOf(input) };
}

type One = {
  input: JudgeInput;
  subscription: JudgeSubscription;
  binding: JudgeBinding | null;
  claimed: Claimed;
  contextId: number | null;
  firstMonthOf: (agreementId: number | null) => IsoMonth;
};

function judgeOne(one: One): Verdict {
  const { input, subscription: s, binding, claimed, contextId } = one;
  const { today } = input;
  const opts = input.options ?? {};
  // The line sync updates: billing from its agreement's first un-invoiced month, the context agreement first.
  const current =
    claimed.recurring
      .filter((a) => billsFrom(a, one.firstMonthOf(a.agreementId)))
      .sort(
        (x, y) =>
          Number(y.agreementId === contextId) - Number(x.agreementId === contextId) ||
          (y.effectiveDate ?? '').localeCompare(x.effectiveDate ?? '') ||
          y.id - x.id,
      )[0] ?? null;
  const agreementId = current?.agreementId ?? contextId;
  const first = one.firstMonthOf(agreementId);
  const term = termOf(
    {
      billingTerm: s.billingTerm,
      startDate: s.startDate,
      commitment: s.commitment,
      createdDate: s.createdDate,
    },
    today,
  );
  const label = termLabel(term, `${today}T00:00:00Z`, serviceEnd(s, today));
  const base = {
    term: label,
    subscriptionId: s.id,
    agreementId,
    additionId: current?.id ?? null,
    matchedBy: claimed.matchedBy,
    firstUninvoicedMonth: first,
    historyJudged: s.history !== undefined,
  };
  if (binding === null) {
    return {
      ...base,
      status: 'product_not_bound',
      fix: 'bind_product',
      fixAdditionIds: [],
      months: [],
      backBill: 0,
      olderShortfall: 0,
      message: 'The Pax8 product is not bound to a ConnectWise catalog item yet.',
    };
  }
  const price = moneyCents(s.priceOverride ?? binding.price ?? s.price);
  const cost = moneyCents(s.partnerCost);
  const hand = handLines(claimed, input.additions, binding.cwCatalogId, first);
  const lines = {
    recurring: [...claimed.recurring, ...claimed.extras, ...hand.recurring],
    oneTime: [...claimed.oneTime, ...hand.oneTime],
  };
  if (billedPerPeriod(s.billingTerm, s.status)) {
    const agreement = agreementId === null ? undefined : input.agreements.find((a) => a.id === agreementId);
    const lookBack = opts.lookBackMonths ?? LOOK_BACK_MONTHS;
    const judged = judgeTerm({
      subscription: s,
      term,
      today,
      first,
      horizon: opts.horizonMonths ?? HORIZON_MONTHS,
      lookbackFrom: firstOfMonth(lookbackStart(today, firstOfMonth(first), lookBack)),
      price,
      cost,
      threshold: opts.threshold ?? true,
      countChangeDay: opts.countChangeDay ?? false,
      recurringTerm: cycleMatches(term, agreement?.billingCycle ?? undefined),
      invoiceMonth: agreement?.nextInvoiceDate ? monthOf(agreement.nextInvoiceDate.slice(0, 10)) : undefined,
      lines,
    });
    return { ...base, ...judged };
  }
  // Terms no rule bills (usage, unknown) are compared on seats and price only.
  const monthly = term.kind === 'monthly' || s.status === 'Trial';
  const opts2 = {
    lookBack: opts.lookBackMonths ?? LOOK_BACK_MONTHS,
    horizon: monthly ? (opts.horizonMonths ?? HORIZON_MONTHS) : 0,
  };
  const due =
    s.history && monthly
      ? dueProrates({
          subscription: s,
          history: s.history,
          today,
          first,
          lookBack: opts2.lookBack,
          older: OLDER_MONTHS,
          price,
          cost,
          threshold: opts.threshold ?? true,
          countChangeDay: opts.countChangeDay ?? false,
          oneTime: lines.oneTime,
        })
      : [];
  const owed = due.filter((p) => p.line === null && !p.older);
  const backBill = owed.reduce((sum, p) => sum + p.amount, 0);
  const olderShortfall = due.filter((p) => p.line === null && p.older).reduce((sum, p) => sum + p.amount, 0);
  // What bills in a month ahead: the recurring seats, the due prorates (owed ones in the first month), and
  // extra-months lines as written (their months are the user's choice; the planner refuses overlaps).
  const billsIn = (p: DueProrate) => (p.line?.effectiveDate ? monthOf(p.line.effectiveDate) : first);
  const ctx: ShouldContext = {
    subscription: s,
    today,
    price,
    billable: (current?.billCustomer ?? 'Billable') === 'Billable',
  };
  const months = Array.from({ length: opts2.horizon }, (_, i): MonthFigures => {
    const month = addMonths(first, i);
    let should = shouldBill(ctx, month);
    for (const p of due) if (!(p.older && p.line === null) && billsIn(p) === month) should += p.amount;
    for (const a of lines.oneTime) {
      // Without history the prorates cannot be judged: the one-time lines are taken as written.
      const asWritten = takenAsWritten(a) || !s.history;
      if (asWritten && a.effectiveDate !== null && monthOf(a.effectiveDate) === month) {
        should += lineCents(a);
      }
    }
    return { month, will: willBill(lines, month), should };
  });
  const matched = new Set(due.flatMap((p) => (p.line ? [p.line] : [])));
  const { status, fix, fixAdditionIds } = statusOf({ ...one, current, months, price, cost, lines, matched });
  return {
    ...base,
    status,
    fix,
    fixAdditionIds,
    months,
    backBill,
    olderShortfall,
    message: monthly
      ? withHint(moneyInWords(months), status, months)
      : `${s.billingTerm} billing is not judged per month: only its seats and price are compared.`,
  };
}

/** When the money agrees but the status does not, the words say what else is out of step. */
function withHint(words: string, status: string, months: readonly MonthFigures[]): string {
  if (months.some((m) => m.will !== m.should)) return words;
  if (status === 'change_not_synced') {
    return `${words} Pax8 changed after the last sync: a prorate may be owed (open Sync to see it).`;
  }
  if (status === 'price_differs') return `${words} The unit cost differs from Pax8's partner cost.`;
  return words;
}

/** A converted trial is billed from its conversion as a new subscription (spec §5): earlier history is dropped. */
function asBilled(s: JudgeSubscription): JudgeSubscription {
  if (!s.convertedDate || s.convertedDate <= s.startDate) return s;
  return {
    ...s,
    startDate: s.convertedDate,
    history: s.history ? billedHistory([...s.history], s.convertedDate) : undefined,
  };
}
