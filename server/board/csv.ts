// CSV exports of the board and of a month's leakage (RFC 4180 quoting). Text from Pax8 or ConnectWise that a
// spreadsheet would run as a formula (starting = + - @, tab or CR) is prefixed with ' (OWASP CSV injection);
// the figures we format ourselves (cents as 12.50, -3.00) stay numbers. A board row's money is said per what it is
// ('Charged': a month, per year up front, once): an annual charge is never read as a month's.
import { formatCents } from '../billing/money.ts';
import type { LeakageRow } from './leakage.ts';
import type { BoardRow } from './types.ts';

const FORMULA = /^[=+\-@\t\r]/;

/** One text cell: formula-safe, then quoted when it holds a quote, comma, line break or edge space. */
export function textCell(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

type Cell = { text: string } | { number: string };
const text = (value: string | number | null): Cell => ({ text: value === null ? '' : String(value) });
const money = (cents: number | null): Cell => ({ number: cents === null ? '' : formatCents(cents) });
const count = (n: number | null): Cell => ({ number: n === null ? '' : String(n) });

function toCsv(header: readonly string[], rows: readonly Cell[][]): string {
  const line = (cells: readonly Cell[]) =>
    cells.map((c) => ('text' in c ? textCell(c.text) : c.number)).join(',');
  return `${[header.map(textCell).join(','), ...rows.map(line)].join('\r\n')}\r\n`;
}

export function boardCsv(rows: readonly BoardRow[]): string {
  return toCsv(
    [
      'Customer',
      'Pax8 company id',
      'ConnectWise company id',
      'Agreement id',
      'Product',
      'Pax8 subscription id',
      'Term',
      'Seats',
      'Status',
      'Ignored',
      'Month',
      'Charged',
      'ConnectWise will bill',
      'Should bill',
      'Not billed',
      'Pax8 cost',
      'Cost from',
      'Margin',
      'Margin after sync',
      'Margin %',
      'Below margin floor',
      'Seats not billed',
      'Leakage',
    ],
    rows.map((r) => [
      text(r.companyName),
      text(r.pax8CompanyId),
      count(r.cwCompanyId),
      count(r.agreementId),
      text(r.productName),
      text(r.subscriptionId),
      text(r.billingTerm),
      count(r.quantity),
      text(r.status),
      text(r.ignored ? 'yes' : 'no'),
      text(r.month),
      text(r.chargeWords),
      money(r.willCents),
      money(r.shouldCents),
      money(r.differenceCents),
      money(r.costCents),
      text(r.costSource),
      money(r.marginCents),
      money(r.marginAfterSyncCents),
      { number: r.marginPercent === null ? '' : r.marginPercent.toFixed(2) },
      text(r.belowMarginFloor ? 'yes' : 'no'),
      count(r.leakSeats),
      money(r.leakCents),
    ]),
  );
}

export function leakageCsv(rows: readonly LeakageRow[]): string {
  return toCsv(
    [
      'Month',
      'Customer',
      'Pax8 company id',
      'ConnectWise company id',
      'Subscriptions',
      'Pax8 cost',
      'ConnectWise bills',
      'Should bill',
      'Margin',
      'Seats not billed',
      'Leakage',
    ],
    rows.map((r) => [
      text(r.month),
      text(r.companyName),
      text(r.pax8CompanyId),
      count(r.cwCompanyId),
      count(r.subscriptions),
      money(r.costCents),
      money(r.willCents),
      money(r.shouldCents),
      money(r.marginCents),
      count(r.leakSeats),
      money(r.leakCents),
    ]),
  );
}
