// The board's answer: filters (company, product, term, status, amount), search (customer, product, Pax8 or
// ConnectWise id), sort by money, offset pages over the kept board, and totals over everything and the filter.
import * as v from 'valibot';
import { moneyCents } from '../judgement/months.ts';
import { isOutOfStep, totalsOf } from './compute.ts';
import type { BoardRow, BoardStatus, BoardTotals } from './types.ts';

export const DEFAULT_BOARD_LIMIT = 100;
export const MAX_BOARD_LIMIT = 1000;

const STATUSES = [
  'synced',
  'out_of_step',
  'company_not_bound',
  'product_not_bound',
  'never_synced',
  'changed_since_sync',
  'arrears',
  'not_on_agreement',
  'quantity_differs',
  'price_differs',
  'prorate_pending',
  'duplicate',
  'double_billed',
  'written_by_hand',
  'cancelled_billing',
  'trial_billing',
  'ignored',
  'below_margin_floor',
] as const;
export const SORTS = [
  'money',
  '-money',
  'margin',
  '-margin',
  'cost',
  '-cost',
  'leak',
  '-leak',
  'company',
] as const;

const whole = (most: number, what: string) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,7}$/, `must be a whole number from 0 to ${most}`),
    v.transform(Number),
    v.maxValue(most, `must be a whole number from 0 to ${most}`),
    v.description(what),
  );
const amount = v.pipe(
  v.string(),
  v.regex(/^\d{1,9}(\.\d{1,2})?$/, 'must be an amount in dollars, like 25 or 25.50'),
  v.transform((s) => moneyCents(s)),
);
const text = v.pipe(v.string(), v.trim(), v.maxLength(200, 'must be at most 200 characters'));

export const BoardQuerySchema = v.strictObject({
  limit: v.optional(
    v.pipe(
      whole(MAX_BOARD_LIMIT, 'rows a page'),
      v.minValue(1, `must be a whole number from 1 to ${MAX_BOARD_LIMIT}`),
    ),
  ),
  offset: v.optional(whole(10_000_000, 'rows skipped')),
  /** A Pax8 company id, or a ConnectWise company id (digits). */
  company: v.optional(text),
  /** A Pax8 product id, or words of the product's name. */
  product: v.optional(text),
  term: v.optional(text),
  status: v.optional(v.picklist(STATUSES, `must be one of ${STATUSES.join(', ')}`)),
  /** |should − will| of the headline month at least / at most, in dollars. */
  minAmount: v.optional(amount),
  maxAmount: v.optional(amount),
  q: v.optional(text),
  sort: v.optional(v.picklist(SORTS, `must be one of ${SORTS.join(', ')}`)),
});
export type BoardQuery = v.InferOutput<typeof BoardQuerySchema>;

const lower = (s: string) => s.toLowerCase();

function matchesStatus(row: BoardRow, status: BoardQuery['status']): boolean {
  if (status === undefined) return true;
  if (status === 'ignored') return row.ignored;
  if (status === 'below_margin_floor') return row.belowMarginFloor;
  if (status === 'out_of_step') return isOutOfStep(row);
  return row.status === (status as BoardStatus);
}

/**
 * Search: a number is a ConnectWise id (company or agreement); other text is part of the customer's or the
 * product's name, or a whole Pax8 id (subscription, company, product).
 */
export function matchesSearch(row: BoardRow, q: string): boolean {
  const needle = lower(q);
  if (/^\d+$/.test(needle)) return String(row.cwCompanyId) === needle || String(row.agreementId) === needle;
  return (
    lower(row.companyName).includes(needle) ||
    lower(row.productName).includes(needle) ||
    row.subscriptionId === needle ||
    lower(row.pax8CompanyId) === needle ||
    lower(row.productId) === needle
  );
}

export function filterRows(rows: readonly BoardRow[], q: BoardQuery): BoardRow[] {
  return rows.filter((row) => {
    if (q.company && row.pax8CompanyId !== q.company && String(row.cwCompanyId) !== q.company) return false;
    if (q.product && row.productId !== q.product && !lower(row.productName).includes(lower(q.product)))
      return false;
    if (q.term && lower(row.billingTerm) !== lower(q.term)) return false;
    if (!matchesStatus(row, q.status)) return false;
    const size = Math.abs(row.differenceCents);
    if (q.minAmount !== undefined && size < q.minAmount) return false;
    if (q.maxAmount !== undefined && size > q.maxAmount) return false;
    if (q.q && !matchesSearch(row, q.q)) return false;
    return true;
  });
}

const byCompany = (a: BoardRow, b: BoardRow) =>
  a.companyName.localeCompare(b.companyName) ||
  a.productName.localeCompare(b.productName) ||
  (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0);

/** 'money': the largest difference (either way) first; '-money' the smallest. Ties: company, product, id. */
export function sortRows(rows: BoardRow[], sort: BoardQuery['sort'] = 'money'): BoardRow[] {
  const key: Record<Exclude<BoardQuery['sort'], undefined>, (r: BoardRow) => number> = {
    money: (r) => -Math.abs(r.differenceCents),
    '-money': (r) => Math.abs(r.differenceCents),
    margin: (r) => r.marginAfterSyncCents,
    '-margin': (r) => -r.marginAfterSyncCents,
    cost: (r) => -r.costCents,
    '-cost': (r) => r.costCents,
    leak: (r) => -(r.leakCents ?? 0),
    '-leak': (r) => r.leakCents ?? 0,
    company: () => 0,
  };
  const k = key[sort];
  return rows.sort((a, b) => k(a) - k(b) || byCompany(a, b));
}

export type BoardPage = {
  rows: BoardRow[];
  /** Over every row of the board, and over the rows the filter keeps. */
  totals: BoardTotals;
  filteredTotals: BoardTotals;
  page: { offset: number; limit: number; returned: number; matched: number };
};

/**
 * The filtered, sorted rows and the totals of one board (the kept rows array: a refresh makes a new one) for one
 * query: kept for the next pages and the polls, so 40,000 rows are not filtered and sorted on every request.
 */
const answered = new WeakMap<
  readonly BoardRow[],
  Map<string, Omit<BoardPage, 'rows' | 'page'> & { matched: BoardRow[] }>
>();

export function pageBoard(rows: readonly BoardRow[], q: BoardQuery): BoardPage {
  const { offset: _o, limit: _l, ...filters } = q;
  const key = JSON.stringify(filters);
  let byQuery = answered.get(rows);
  if (!byQuery) {
    byQuery = new Map();
    answered.set(rows, byQuery);
  }
  let found = byQuery.get(key);
  if (!found) {
    const matched = sortRows(filterRows(rows, q), q.sort);
    found = { matched, totals: totalsOf(rows), filteredTotals: totalsOf(matched) };
    if (byQuery.size >= 20) byQuery.delete(byQuery.keys().next().value as string);
    byQuery.set(key, found);
  }
  const offset = q.offset ?? 0;
  const limit = q.limit ?? DEFAULT_BOARD_LIMIT;
  const page = found.matched.slice(offset, offset + limit);
  return {
    rows: page,
    totals: found.totals,
    filteredTotals: found.filteredTotals,
    page: { offset, limit, returned: page.length, matched: found.matched.length },
  };
}
