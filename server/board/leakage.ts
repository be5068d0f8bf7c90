// Margin and leakage per customer and month (issue 11 item 5): Pax8's cost, what ConnectWise bills (or will),
// the margin, and the seats Pax8 charges that nobody bills, summed over each customer's judged rows billed per
// month. A charge up front or once (an annual or 3-year period, an activation) is not money a month: the board
// shows its margin per period on its row, and it is left out here rather than read as one month's margin.
import type { Cents } from '../billing/money.ts';
import type { BoardRow } from './types.ts';

export type LeakageRow = {
  month: string;
  pax8CompanyId: string;
  companyName: string;
  cwCompanyId: number;
  subscriptions: number;
  costCents: Cents;
  willCents: Cents;
  shouldCents: Cents;
  /** What ConnectWise bills − Pax8's cost. */
  marginCents: Cents;
  leakSeats: number;
  leakCents: Cents;
};

/** The months any row judges, oldest first. */
export const monthsOf = (rows: readonly BoardRow[]): string[] =>
  [...new Set(rows.flatMap((r) => r.months.map((m) => m.month)))].sort();

/**
 * Per customer for one month, the customers that leak most first (then by name). Ignored rows and the charges up
 * front or once are left out.
 */
export function leakageOf(rows: readonly BoardRow[], month: string): LeakageRow[] {
  const out = new Map<string, LeakageRow>();
  for (const row of rows) {
    if (row.ignored || row.charge !== 'month') continue;
    const m = row.months.find((x) => x.month === month);
    if (!m) continue;
    const into = out.get(row.pax8CompanyId) ?? {
      month,
      pax8CompanyId: row.pax8CompanyId,
      companyName: row.companyName,
      cwCompanyId: row.cwCompanyId,
      subscriptions: 0,
      costCents: 0,
      willCents: 0,
      shouldCents: 0,
      marginCents: 0,
      leakSeats: 0,
      leakCents: 0,
    };
    into.subscriptions++;
    into.costCents += m.costCents;
    into.willCents += m.will;
    into.shouldCents += m.should;
    into.marginCents += m.will - m.costCents;
    into.leakSeats += m.leakSeats;
    into.leakCents += m.leakCents;
    out.set(row.pax8CompanyId, into);
  }
  return [...out.values()].sort(
    (a, b) => b.leakCents - a.leakCents || a.companyName.localeCompare(b.companyName),
  );
}
