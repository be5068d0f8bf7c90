// Walks every page of a CW list: forward-only (`Link` holds the next URL) when the endpoint supports it,
// otherwise page=N until a short page. A failed page throws; the pager never returns a partial list.
import * as v from 'valibot';
import { ConnectWiseError, resourceOf } from './errors.ts';
import type { Query, Transport } from './http.ts';
import { parseBody } from './http.ts';

export const maxPageSize = 1000;
const maxPages = 10_000;

/** The rel="next" URL of a Link header, or for forward-only links without rel, the first URL. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  const links = [...header.matchAll(/<([^>]*)>((?:\s*;\s*[^,;<]+)*)/g)].map((m) => ({
    url: m[1] ?? '',
    rel: /rel\s*=\s*"?([^";]+)"?/i
      .exec(m[2] ?? '')?.[1]
      ?.trim()
      .toLowerCase(),
  }));
  const next = links.find((l) => l.rel?.split(/\s+/).includes('next'));
  if (next) return next.url;
  const bare = links.find((l) => l.rel === undefined);
  return bare ? bare.url : null;
}

export async function fetchAll<S extends v.GenericSchema>(
  transport: Transport,
  path: string,
  item: S,
  query: Query = {},
  pageSize = maxPageSize,
): Promise<v.InferOutput<S>[]> {
  const schema = v.array(item);
  const what = `GET ${resourceOf(path)}`;
  const forwardOnly = { 'pagination-type': 'forward-only' };
  const out: v.InferOutput<S>[] = [];
  const seen = new Set<string>();

  let res = await transport.send('GET', path, { query: { ...query, pageSize }, headers: forwardOnly });
  let rows = parseBody(schema, res.body, what);
  out.push(...rows);
  let sawLink = false;

  for (let page = 2; page <= maxPages; page++) {
    const next = nextLink(res.headers.get('link'));
    if (next) {
      if (seen.has(next)) throw loop(what);
      seen.add(next);
      sawLink = true;
      res = await transport.send('GET', next, { headers: forwardOnly });
    } else if (sawLink || rows.length < pageSize) {
      return out;
    } else {
      // No Link on a full page: the endpoint ignores forward-only, so count pages ourselves.
      return fallback(transport, path, schema, query, pageSize, out, what);
    }
    rows = parseBody(schema, res.body, what);
    out.push(...rows);
  }
  throw loop(what);
}

async function fallback<S extends v.GenericSchema>(
  transport: Transport,
  path: string,
  schema: v.ArraySchema<S, undefined>,
  query: Query,
  pageSize: number,
  out: v.InferOutput<S>[],
  what: string,
): Promise<v.InferOutput<S>[]> {
  for (let page = 2; page <= maxPages; page++) {
    const res = await transport.send('GET', path, { query: { ...query, pageSize, page } });
    const rows = parseBody(schema, res.body, what);
    out.push(...rows);
    if (rows.length < pageSize) return out;
  }
  throw loop(what);
}

const loop = (what: string) =>
  new ConnectWiseError('bad_response', 'upstream_unavailable', `ConnectWise paging did not end for ${what}`);
