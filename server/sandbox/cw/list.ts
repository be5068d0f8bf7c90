// List GET semantics shared by every CW collection: conditions, orderBy, fields, page/pageSize, the
// navigable Link header, and forward-only pagination with pageId.
import { type Condition, parseConditions } from './query.ts';
import { evaluate, getPath } from './query-eval.ts';

export const defaultPageSize = 25;
export const maxPageSize = 1000;

export type ListQuery = {
  conditions: Condition | null;
  orderBy: { path: string[]; desc: boolean }[];
  fields: string[][] | null;
  page: number;
  pageSize: number;
  pageId: number | null;
  forwardOnly: boolean;
};

export class ListQueryError extends Error {}

function positiveInt(raw: string | undefined, name: string): number | null {
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ListQueryError(`${name} must be a whole number, not '${raw}'`);
  return n;
}

export function parseListQuery(q: Record<string, string>, forwardOnly: boolean): ListQuery {
  // Query parameter names are case-insensitive on CW (pagesize=…, orderby=…).
  const get = (name: string) => {
    const key = Object.keys(q).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : q[key];
  };
  const cond = get('conditions');
  const orderBy = (get('orderBy') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [field = '', dir = 'asc'] = s.split(/\s+/);
      const d = dir.toLowerCase();
      if (d !== 'asc' && d !== 'desc')
        throw new ListQueryError(`orderBy direction must be asc or desc, not '${dir}'`);
      return { path: field.split('/'), desc: d === 'desc' };
    });
  const fieldsRaw = get('fields');
  const fields =
    fieldsRaw === undefined || fieldsRaw.trim() === ''
      ? null
      : fieldsRaw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
          .map((s) => s.split('/'));
  const pageSize = Math.min(positiveInt(get('pageSize'), 'pageSize') || defaultPageSize, maxPageSize);
  return {
    conditions: cond === undefined || cond.trim() === '' ? null : parseConditions(cond),
    orderBy,
    fields,
    page: Math.max(1, positiveInt(get('page'), 'page') ?? 1),
    pageSize,
    pageId: positiveInt(get('pageId'), 'pageId'),
    forwardOnly,
  };
}

function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Filters and sorts; CW's default order is by id. */
export function select<T extends { id: number }>(rows: Iterable<T>, q: ListQuery): T[] {
  const out: T[] = [];
  for (const row of rows) {
    // pageId "is treated like an additional condition of Id > pageId" (reference/connectwise.md §3.3).
    if (q.pageId !== null && row.id <= q.pageId) continue;
    if (q.conditions && !evaluate(q.conditions, row)) continue;
    out.push(row);
  }
  const order = q.forwardOnly ? [] : q.orderBy;
  out.sort((a, b) => {
    for (const o of order) {
      const c = cmp(getPath(a, o.path), getPath(b, o.path));
      if (c !== 0) return o.desc ? -c : c;
    }
    return a.id - b.id;
  });
  return out;
}

/** Partial response: keeps only the requested (possibly nested) paths. */
export function pick(obj: Record<string, unknown>, fields: string[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of fields) {
    const value = getPath(obj, path);
    if (value === undefined) continue;
    let target = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) target[part] = value;
      else {
        const existing = target[part];
        if (existing === null || typeof existing !== 'object') target[part] = {};
        target = target[part] as Record<string, unknown>;
      }
    });
  }
  return out;
}

/** One page plus the Link header value (null when there is none). */
export function paginate<T extends { id: number }>(
  rows: T[],
  q: ListQuery,
  requestUrl: URL,
): { page: T[]; link: string | null } {
  const urlWith = (params: Record<string, string>) => {
    const u = new URL(requestUrl);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  };
  if (q.forwardOnly) {
    const page = rows.slice(0, q.pageSize);
    const last = page[page.length - 1];
    const more = rows.length > q.pageSize && last !== undefined;
    return {
      page,
      link: more
        ? `<${urlWith({ pageId: String(last.id), pageSize: String(q.pageSize) })}>; rel="next"`
        : null,
    };
  }
  const start = (q.page - 1) * q.pageSize;
  const page = rows.slice(start, start + q.pageSize);
  const lastPage = Math.max(1, Math.ceil(rows.length / q.pageSize));
  const links: string[] = [];
  const at = (n: number) => urlWith({ pageSize: String(q.pageSize), page: String(n) });
  if (q.page > 1) {
    links.push(`<${at(q.page - 1)}>; rel="prev"`);
    links.push(`<${at(1)}>; rel="first"`);
  }
  if (q.page < lastPage) {
    links.push(`<${at(q.page + 1)}>; rel="next"`);
    links.push(`<${at(lastPage)}>; rel="last"`);
  }
  return { page, link: links.length ? links.join(', ') : null };
}
