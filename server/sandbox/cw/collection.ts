// One CW collection's routes (list, /count, get, POST, PUT, JSON-Patch PATCH, DELETE) over a store
// table, with CW validation, reference checks and `_info` bookkeeping. Nested collections (additions)
// pass `parent`.
import type { Context, Hono } from 'hono';
import { type CwEnv, CwError, notFound, type RefLink, resolveRef, withHrefs } from './http.ts';
import { type ListQuery, ListQueryError, paginate, parseListQuery, pick, select } from './list.ts';
import { type ModelRules, validate } from './models.ts';
import { QuerySyntaxError } from './query.ts';
import { QueryTypeError } from './query-eval.ts';
import { type CwData, cwDate, type Row, type TableName } from './store.ts';

export type CollectionSpec = {
  table: TableName;
  /** What a 404 calls one row ("Company"). */
  what: string;
  /** Absent = read-only (lookups, members). */
  rules?: ModelRules;
  links?: Record<string, RefLink>;
  /** For nested collections: the `:parentId` route param must name a row of this table; rows keep it in `field`. */
  parent?: { table: TableName; field: string; what: string };
  /** Derives fields after validation (additions: catalog defaults and extended amounts). */
  prepare?: (row: Record<string, unknown>, data: CwData) => Record<string, unknown>;
  /** Also answer the collection path with a trailing slash. */
  trailingSlash?: boolean;
};

export type CollectionDeps = { data: CwData; now: () => Date };

const readOnlyFields = ['id', '_info'];

function parseId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new CwError(400, 'InvalidObject', `'${raw}' is not a valid id`);
  return id;
}

async function bodyOf(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new CwError(400, 'InvalidObject', 'The request body is not valid JSON');
  }
}

function asObject(body: unknown, resource: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CwError(400, 'InvalidObject', `${resource} object is invalid: expected a JSON object`);
  }
  return { ...(body as Record<string, unknown>) };
}

const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON-Patch as CW takes it: `[{op, path, value}]`, paths with or without a leading '/'. */
export function applyPatch(target: Record<string, unknown>, ops: unknown): Record<string, unknown> {
  if (!Array.isArray(ops)) {
    throw new CwError(400, 'InvalidObject', 'PATCH body must be a JSON-Patch array of {op, path, value}');
  }
  const out = structuredClone(target);
  for (const op of ops as { op?: unknown; path?: unknown; value?: unknown }[]) {
    const kind = String(op?.op ?? '').toLowerCase();
    const parts = String(op?.path ?? '')
      .split('/')
      .filter((p) => p !== '');
    if (parts.length === 0 || !['replace', 'add', 'remove'].includes(kind)) {
      throw new CwError(400, 'InvalidObject', `Unsupported patch operation ${JSON.stringify(op)}`);
    }
    // '__proto__/x' would walk into Object.prototype and change every object of this process.
    if (parts.some((p) => unsafeKeys.has(p))) {
      throw new CwError(400, 'InvalidObject', `Invalid patch path ${JSON.stringify(op?.path)}`);
    }
    let node: Record<string, unknown> = out;
    for (const part of parts.slice(0, -1)) {
      const child = Object.hasOwn(node, part) ? node[part] : undefined;
      if (child === null || typeof child !== 'object') node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    const leaf = parts[parts.length - 1] as string;
    if (kind === 'remove') delete node[leaf];
    else node[leaf] = op.value;
  }
  return out;
}

export function mountCollection(
  api: Hono<CwEnv>,
  path: string,
  spec: CollectionSpec,
  deps: CollectionDeps,
): void {
  const { data, now } = deps;
  const table = () => data.tables[spec.table];
  const links = spec.links ?? {};

  const parentOf = (c: Context): number | null => {
    if (!spec.parent) return null;
    const pid = parseId(c.req.param('parentId'));
    if (!data.tables[spec.parent.table].rows.has(pid)) throw notFound(spec.parent.what, pid);
    return pid;
  };
  const rowsIn = (pid: number | null): Row[] => {
    const all = [...table().rows.values()];
    return pid === null || !spec.parent
      ? all
      : all.filter((r) => r[(spec.parent as { field: string }).field] === pid);
  };
  const find = (c: Context): Row => {
    const pid = parentOf(c);
    const id = parseId(c.req.param('id'));
    const row = table().rows.get(id);
    if (!row || (pid !== null && spec.parent && row[spec.parent.field] !== pid))
      throw notFound(spec.what, id);
    return row;
  };
  const listQuery = (c: Context) => {
    try {
      return parseListQuery(c.req.query(), c.req.header('pagination-type')?.toLowerCase() === 'forward-only');
    } catch (err) {
      if (err instanceof QuerySyntaxError || err instanceof ListQueryError) {
        throw new CwError(400, 'InvalidObject', err.message);
      }
      throw err;
    }
  };
  const selectRows = (rows: Row[], q: ListQuery) => {
    try {
      return select(rows, q);
    } catch (err) {
      if (err instanceof QueryTypeError) throw new CwError(400, 'InvalidObject', err.message);
      throw err;
    }
  };
  const render = (c: Context<CwEnv>, row: Row) => withHrefs(row, links, c.get('base'));
  const store = (
    c: Context<CwEnv>,
    body: Record<string, unknown>,
    id: number | undefined,
    pid: number | null,
  ) => {
    const rules = spec.rules as ModelRules;
    for (const f of readOnlyFields) delete body[f];
    if (spec.parent && pid !== null) body[spec.parent.field] = pid;
    const issues = validate(rules, body);
    if (issues.length > 0)
      throw new CwError(400, 'InvalidObject', `${rules.resource} object is invalid`, issues);
    for (const [field, link] of Object.entries(links)) {
      if (field in body) body[field] = resolveRef(data, rules.resource, field, link, body[field]);
    }
    const prepared = spec.prepare ? spec.prepare(body, data) : body;
    const info = { lastUpdated: cwDate(now()), updatedBy: c.get('principal').name };
    return data.insert(spec.table, { ...prepared, ...(id === undefined ? {} : { id }), _info: info });
  };

  const collectionPaths = spec.trailingSlash ? [path, `${path}/`] : [path];
  api.on('GET', collectionPaths, (c) => {
    const q = listQuery(c);
    const rows = selectRows(rowsIn(parentOf(c)), q);
    const { page, link } = paginate(rows, q, new URL(c.req.url));
    if (link) c.header('Link', link);
    return c.json(page.map((r) => (q.fields ? pick(render(c, r), q.fields) : render(c, r))));
  });
  api.get(`${path}/count`, (c) => {
    const q = listQuery(c);
    return c.json({ count: selectRows(rowsIn(parentOf(c)), { ...q, forwardOnly: false }).length });
  });
  api.get(`${path}/:id{[0-9]+}`, (c) => {
    const q = listQuery(c);
    const row = render(c, find(c));
    return c.json(q.fields ? pick(row, q.fields) : row);
  });
  if (!spec.rules) return;
  const resource = spec.rules.resource;

  api.on('POST', collectionPaths, async (c) => {
    const pid = parentOf(c);
    const row = store(c, asObject(await bodyOf(c), resource), undefined, pid);
    return c.json(render(c, row), 201);
  });
  api.put(`${path}/:id{[0-9]+}`, async (c) => {
    const existing = find(c);
    const body = asObject(await bodyOf(c), resource);
    const pid = spec.parent ? (existing[spec.parent.field] as number) : null;
    return c.json(render(c, store(c, body, existing.id, pid)));
  });
  api.patch(`${path}/:id{[0-9]+}`, async (c) => {
    const existing = find(c);
    const patched = applyPatch(existing, await bodyOf(c));
    const pid = spec.parent ? (existing[spec.parent.field] as number) : null;
    return c.json(render(c, store(c, patched, existing.id, pid)));
  });
  api.delete(`${path}/:id{[0-9]+}`, (c) => {
    const row = find(c);
    table().rows.delete(row.id);
    return c.body(null, 204);
  });
}
