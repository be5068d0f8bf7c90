// The money of a verdict in words, as the pod and the audit show it (readable at 320 px, no table needed).
import { monthName } from '../billing/dates.ts';
import { dollars } from '../billing/money.ts';
import type { MonthFigures } from './types.ts';

/**
 * "ConnectWise will bill $50.00/mo, should bill $75.00/mo: $25.00/mo not billed" when every judged month
 * differs alike; otherwise the first month that differs, by name; "… as it should" when none does.
 */
export function moneyInWords(months: readonly MonthFigures[]): string {
  const first = months[0];
  if (!first) return '';
  const differing = months.filter((m) => m.will !== m.should);
  const head = differing[0];
  if (!head) {
    const last = months.at(-1) ?? first;
    if (last.will === first.will) return `ConnectWise will bill ${dollars(first.will)}/mo, as it should.`;
    return `ConnectWise will bill ${dollars(first.will)} in ${monthName(first.month)}, then ${dollars(last.will)}/mo, as it should.`;
  }
  const steady = months.every((m) => m.will === head.will && m.should === head.should);
  const gap = head.should - head.will;
  const per = steady ? '/mo' : '';
  const when = steady ? '' : `In ${monthName(head.month)} `;
  const what = gap > 0 ? `${dollars(gap)}${per} not billed` : `${dollars(-gap)}${per} billed too much`;
  const will = `${when}ConnectWise will bill ${dollars(head.will)}${per}`;
  return `${will}, should bill ${dollars(head.should)}${per}: ${what}.`;
}
