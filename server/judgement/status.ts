// The status of a judged subscription and the fix it names: the first thing out of step, in the order a
// billing person would fix it (double billing, duplicates, cancelled or trial still billing, missing line,
// seats, price, prorates owed), then "written by hand" for a line that bills right but carries no marker.
import { monthOf } from '../billing/dates.ts';
import type { Cents } from '../billing/money.ts';
import type { Claimed } from './claims.ts';
import { activeIn, cwCents, serviceEnd } from './months.ts';
import type {
  JudgeAddition,
  JudgeInput,
  JudgementFix,
  JudgementStatus,
  JudgeSubscription,
  MonthFigures,
} from './types.ts';

export type StatusInput = {
  subscription: JudgeSubscription;
  claimed: Claimed;
  /** The agreement in context (where a missing line goes). */
  contextId: number | null;
  input: Pick<JudgeInput, 'today' | 'lastSyncedAt'>;
  current: JudgeAddition | null;
  months: MonthFigures[];
  price: Cents;
  cost: Cents;
  lines: { recurring: JudgeAddition[]; oneTime: JudgeAddition[] };
  /** One-time lines that bill a due prorate. */
  matched: ReadonlySet<JudgeAddition>;
};

type StatusAnswer = { status: JudgementStatus; fix: JudgementFix; fixAdditionIds: number[] };

const answer = (status: JudgementStatus, fix: JudgementFix, fixAdditionIds: number[] = []): StatusAnswer => ({
  status,
  fix,
  fixAdditionIds,
});

/** The first thing out of step, in the order a billing person would fix it. */
export function statusOf(x: StatusInput): StatusAnswer {
  const { subscription: s, current, months, claimed } = x;
  const today = x.input.today;
  const inHorizon = (a: JudgeAddition) => months.some((m) => activeIn(a, m.month));
  const billing = [...claimed.recurring, ...claimed.extras].filter(inHorizon);
  const home = current?.agreementId ?? x.contextId;
  const elsewhere = billing.filter((a) => a.agreementId !== home);
  if (elsewhere.length > 0)
    return answer(
      'double_billed',
      'cancel_addition',
      elsewhere.map((a) => a.id),
    );
  const twice = billing.filter(
    (a) =>
      a !== current &&
      months.some((m) => activeIn(a, m.month) && current !== null && activeIn(current, m.month)),
  );
  if (twice.length > 0 || (current === null && billing.length > 1)) {
    return answer(
      'duplicate',
      'cancel_addition',
      (twice.length > 0 ? twice : billing.slice(1)).map((a) => a.id),
    );
  }
  const end = serviceEnd(s, today);
  if (end !== null && months.some((m) => m.will > m.should)) return answer('cancelled_billing', 'sync');
  if (s.status === 'Trial' && months.some((m) => m.will > 0)) return answer('trial_billing', 'sync');
  const first = months[0]?.month ?? '';
  const seats = s.status === 'Trial' || (end !== null && monthOf(end) < first) ? 0 : s.quantity;
  if (current === null && seats > 0) return answer('not_on_agreement', 'sync');
  if (current !== null && current.quantity !== seats) return answer('quantity_differs', 'sync');
  if (current !== null && (cwCents(current.unitPrice) !== x.price || cwCents(current.unitCost) !== x.cost)) {
    return answer('price_differs', 'sync');
  }
  if (s.history) {
    const off = months.find((m) => m.will !== m.should);
    if (off && off.will < off.should) return answer('prorate_pending', 'sync');
    if (off) {
      const again = x.lines.oneTime.filter(
        (a) => !x.matched.has(a) && a.effectiveDate !== null && monthOf(a.effectiveDate) === off.month,
      );
      return answer(
        'duplicate',
        'cancel_addition',
        again.map((a) => a.id),
      );
    }
  } else if (current !== null && changedSinceWrite(s, current, x.input.lastSyncedAt?.get(s.id) ?? null)) {
    return answer('change_not_synced', 'sync');
  }
  if (current !== null && claimed.matchedBy === 'product')
    return answer('written_by_hand', 'adopt', [current.id]);
  return answer('synced', 'none');
}

/** Without history: Pax8 changed after our last write and after anyone touched the line (a prorate may be owed). */
function changedSinceWrite(s: JudgeSubscription, line: JudgeAddition, lastSyncedAt: string | null): boolean {
  const seen = [lastSyncedAt, line.updatedAt ?? null].filter((t): t is string => t !== null).sort();
  const latest = seen.at(-1);
  return s.updatedDate !== null && latest !== undefined && Date.parse(s.updatedDate) > Date.parse(latest);
}
