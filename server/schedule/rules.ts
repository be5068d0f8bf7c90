// The tenant's auto-apply rules for a scheduled sync: which planned lines are safe to write without a person
// (a recurring quantity update of fewer than N seats, a prorate under $X) and why every other line waits.
// Pure: a line of the bulk review and the planned write it came from, to a verdict.

import { type Cents, dollars, toCents } from '../billing/money.ts';
import type { AdditionWrite } from '../billing/plan-types.ts';
import type { BulkLine } from '../sync/bulk-plan.ts';

export type AutoApplyRules = {
  /** Auto-apply a recurring addition's quantity update of 1 to N − 1 seats (price unchanged); null: off. */
  recurringSeatsBelow: number | null;
  /** Auto-apply a new prorate line billing from $0.00 up to (not including) this many cents; null: off. */
  proratesUnderCents: Cents | null;
};

export const noAutoApply: AutoApplyRules = { recurringSeatsBelow: null, proratesUnderCents: null };

export type Verdict = { auto: true; rule: string } | { auto: false; reason: string };

type Planned = Pick<AdditionWrite, 'kind' | 'action' | 'quantity' | 'unitPrice' | 'unitCost' | 'expected'>;

const seats = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;

function recurringUpdate(write: Planned, rules: AutoApplyRules): Verdict {
  const was = write.expected;
  if (!was)
    return { auto: false, reason: 'a recurring update with no addition to compare: waits for a person' };
  if (
    toCents(was.unitPrice, 'unitPrice') !== toCents(write.unitPrice, 'unitPrice') ||
    toCents(was.unitCost, 'unitCost') !== toCents(write.unitCost, 'unitCost') ||
    was.cancelledDate !== null
  ) {
    return { auto: false, reason: 'the price, cost or end date changes too: waits for a person' };
  }
  const change = Math.abs(write.quantity - was.quantity);
  const what = `recurring quantity ${was.quantity} → ${write.quantity} (${seats(change)})`;
  if (rules.recurringSeatsBelow === null)
    return { auto: false, reason: `${what}: no rule auto-applies quantity updates` };
  if (change === 0 || change >= rules.recurringSeatsBelow) {
    return { auto: false, reason: `${what}: not below the rule's ${seats(rules.recurringSeatsBelow)}` };
  }
  return { auto: true, rule: `${what}, below ${seats(rules.recurringSeatsBelow)}` };
}

function newProrate(line: Pick<BulkLine, 'totalPrice'>, rules: AutoApplyRules): Verdict {
  const cents = toCents(line.totalPrice, 'totalPrice');
  const what = `prorate of ${dollars(cents)}`;
  if (rules.proratesUnderCents === null)
    return { auto: false, reason: `${what}: no rule auto-applies prorates` };
  if (cents >= rules.proratesUnderCents) {
    return { auto: false, reason: `${what}: not under the rule's ${dollars(rules.proratesUnderCents)}` };
  }
  return { auto: true, rule: `${what}, under ${dollars(rules.proratesUnderCents)}` };
}

/** Whether a scheduled run may write this line itself, and the rule or the reason, in words. */
export function classifyLine(
  line: Pick<BulkLine, 'kind' | 'action' | 'totalPrice' | 'belowMarginFloor'>,
  write: Planned | undefined,
  rules: AutoApplyRules,
): Verdict {
  if (!write) return { auto: false, reason: 'its planned write is gone: waits for a person' };
  if (line.belowMarginFloor) return { auto: false, reason: 'below the margin floor: a person confirms it' };
  if (write.kind === 'recurring' && write.action === 'update') return recurringUpdate(write, rules);
  if (write.kind === 'prorate' && write.action === 'create') return newProrate(line, rules);
  return {
    auto: false,
    reason: `${write.action} of a ${write.kind} line: no rule covers it, waits for a person`,
  };
}
