// Paging of the unsynced audit (issue 13): one page of the non-arrears rows then the arrears rows, in the audit's
// order, after an opaque keyset cursor (the last row's sort key), so a page never repeats or skips a row that
// is still listed. The counts and the checked statement always cover every subscription read.
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { byCompanyThenProduct, type SortKeyRow, type UnsyncedAudit, type UnsyncedRow } from './unsynced.ts';

export const DEFAULT_AUDIT_LIMIT = 200;
export const MAX_AUDIT_LIMIT = 1000;

export const AuditPageQuerySchema = v.strictObject({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, `must be a whole number from 1 to ${MAX_AUDIT_LIMIT}`),
      v.transform(Number),
      v.minValue(1, `must be a whole number from 1 to ${MAX_AUDIT_LIMIT}`),
      v.maxValue(MAX_AUDIT_LIMIT, `must be a whole number from 1 to ${MAX_AUDIT_LIMIT}`),
    ),
  ),
  cursor: v.optional(
    v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(2000, 'is too long')),
  ),
});
export type AuditPageQuery = v.InferOutput<typeof AuditPageQuerySchema>;

/** The list (0 non-arrears, 1 arrears), company name, product name and subscription id of the last row sent. */
type Key = readonly [0 | 1, string, string, string];
const KeySchema = v.tuple([v.picklist([0, 1]), v.string(), v.string(), v.string()]);

/** An audit whose rows may be kept in another form (audit-snapshot.ts keeps them as JSON text), sortable by key. */
export type PageableAudit<R extends SortKeyRow> = Omit<UnsyncedAudit, 'nonArrears' | 'arrears'> & {
  nonArrears: R[];
  arrears: R[];
};

export type AuditPage<R extends SortKeyRow = UnsyncedRow> = PageableAudit<R> & {
  page: { limit: number; returned: number; nextCursor: string | null };
};

const keyOf = (list: 0 | 1, row: SortKeyRow): Key => [
  list,
  row.subscription.companyName,
  row.subscription.productName,
  row.subscription.id,
];

const rowOfKey = (key: Key): SortKeyRow => ({
  subscription: { companyName: key[1], productName: key[2], id: key[3] },
});

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): Key {
  let raw: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = v.safeParse(KeySchema, raw);
  if (!parsed.success) {
    throw new AppError('bad_request', 'Invalid query: cursor: is not a cursor this audit gave out');
  }
  return parsed.output as Key;
}

/** How many rows of `rows` sort at or before the cursor's row (the audit's order, ties by id). */
function passed(rows: readonly SortKeyRow[], at: SortKeyRow): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const row = rows[mid];
    if (row && byCompanyThenProduct(row, at) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One page of the audit. The first page (no cursor) carries the ignored list; later pages carry only rows.
 * nextCursor is null on the last page.
 */
export function pageAudit<R extends SortKeyRow>(
  audit: PageableAudit<R>,
  query: AuditPageQuery,
): AuditPage<R> {
  const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const nonFrom =
    after === undefined ? 0 : after[0] === 0 ? passed(audit.nonArrears, rowOfKey(after)) : Infinity;
  const arrFrom = after === undefined || after[0] === 0 ? 0 : passed(audit.arrears, rowOfKey(after));
  const nonArrears = audit.nonArrears.slice(nonFrom, nonFrom + limit);
  const arrears = audit.arrears.slice(arrFrom, arrFrom + (limit - nonArrears.length));
  const lastArrears = arrears.at(-1);
  const lastNon = nonArrears.at(-1);
  const last = lastArrears ? keyOf(1, lastArrears) : lastNon ? keyOf(0, lastNon) : undefined;
  const more =
    last !== undefined &&
    (last[0] === 0
      ? nonFrom + nonArrears.length < audit.nonArrears.length || audit.arrears.length > 0
      : arrFrom + arrears.length < audit.arrears.length);
  return {
    ...audit,
    nonArrears,
    arrears,
    ignored: after === undefined ? audit.ignored : [],
    page: {
      limit,
      returned: nonArrears.length + arrears.length,
      nextCursor: more && last ? encodeCursor(last) : null,
    },
  };
}
