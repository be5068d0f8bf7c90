// Pax8's wire conventions in the emulator: the error body, page/size paging, sort=field,dir, bearer auth.
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import type { Pax8Data } from './data.ts';

export type Pax8ErrorType =
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'BAD_REQUEST'
  | 'INTERNAL_SERVER_ERROR'
  | 'INVALID_PARAM'
  | 'UNPROCESSABLE_ENTITY'
  | 'TOO_MANY_REQUESTS';

/** Thrown by handlers; the emulator's onError renders it in Pax8's error shape. */
export class Pax8HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: Pax8ErrorType,
    message: string,
    readonly details: { type: string; message: string; instance: string; status: number }[] = [],
  ) {
    super(message);
  }
}

export function renderError(c: Context, err: Pax8HttpError): Response {
  return c.json(
    { type: err.type, message: err.message, instance: c.req.path, status: err.status, details: err.details },
    err.status,
  );
}

export const notFound = (what: string, id: string) =>
  new Pax8HttpError(404, 'NOT_FOUND', `${what} ${id} not found`);

export const invalidParam = (c: Context, name: string, message: string) =>
  new Pax8HttpError(400, 'INVALID_PARAM', `Invalid parameter: ${name}`, [
    { type: 'INVALID_PARAM', message: `${name}: ${message}`, instance: c.req.path, status: 400 },
  ]);

export const MAX_PAGE_SIZE = 200;

/** What a page is cut from: an array, or a window onto a large collection that is not copied per page. */
export type PageSource<T> = { readonly length: number; slice(start: number, end: number): T[] };

/** A Map's values as a page source: a page of 40,000 subscriptions costs a walk, not a copy of all of them. */
export function valuesWindow<K, V, T>(map: ReadonlyMap<K, V>, pick: (value: V) => T): PageSource<T> {
  return {
    length: map.size,
    slice(start, end) {
      const out: T[] = [];
      let at = 0;
      for (const value of map.values()) {
        if (at >= end) break;
        if (at++ >= start) out.push(pick(value));
      }
      return out;
    },
  };
}

/**
 * The spec declares size `maximum: 200`, so a bigger size is refused with 400 INVALID_PARAM
 * rather than silently capped: a client asking for 1000 learns at once instead of paging short.
 */
export function paged<T>(c: Context, items: PageSource<T>): { content: T[]; page: Record<string, number> } {
  const page = intParam(c, 'page', 0);
  const size = intParam(c, 'size', 10);
  if (page < 0) throw invalidParam(c, 'page', 'must be 0 or more');
  if (size < 1 || size > MAX_PAGE_SIZE)
    throw invalidParam(c, 'size', `must be between 1 and ${MAX_PAGE_SIZE}`);
  return {
    content: items.slice(page * size, page * size + size),
    page: { size, totalElements: items.length, totalPages: Math.ceil(items.length / size), number: page },
  };
}

function intParam(c: Context, name: string, fallback: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw invalidParam(c, name, 'must be an integer');
  return Number(raw);
}

/** Applies `sort=field,asc|desc` when the field is one the endpoint allows. */
export function sorted<T>(
  c: Context,
  items: T[],
  allowed: Record<string, (item: T) => string | number>,
): T[] {
  const raw = c.req.query('sort');
  if (!raw) return items;
  const [field = '', dir = 'asc'] = raw.split(',');
  const key = allowed[field];
  if (!key) throw invalidParam(c, 'sort', `field must be one of ${Object.keys(allowed).join(', ')}`);
  if (dir !== 'asc' && dir !== 'desc') throw invalidParam(c, 'sort', 'direction must be asc or desc');
  const sign = dir === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -sign : x > y ? sign : 0;
  });
}

/** Keeps the items whose field equals each query parameter given. */
export function filtered<T>(c: Context, items: T[], fields: Record<string, (item: T) => unknown>): T[] {
  const wanted = Object.entries(fields).flatMap(([name, get]) => {
    const value = c.req.query(name);
    return value === undefined ? [] : [[get, value] as const];
  });
  if (wanted.length === 0) return items;
  return items.filter((item) => wanted.every(([get, value]) => String(get(item)) === value));
}

export function bearerAuth(data: Pax8Data, now: () => Date): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token) throw new Pax8HttpError(401, 'UNAUTHORIZED', 'Missing bearer token');
    if (!data.tokenValid(token, now()))
      throw new Pax8HttpError(401, 'UNAUTHORIZED', 'Invalid or expired token');
    return next();
  };
}

/** Reads and validates a JSON body; anything that does not fit is a 400 naming the fields. */
export async function bodyOf<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new Pax8HttpError(400, 'BAD_REQUEST', 'Request body must be JSON');
  }
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;
  throw new Pax8HttpError(
    400,
    'BAD_REQUEST',
    'Invalid request body',
    result.issues.map((issue) => ({
      type: 'INVALID_PARAM',
      message: `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`,
      instance: c.req.path,
      status: 400,
    })),
  );
}
