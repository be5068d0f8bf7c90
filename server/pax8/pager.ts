// Walks Pax8's `{content, page}` envelope to the last page and refuses to return a short list.
import type * as v from 'valibot';
import { AppError } from '../errors.ts';
import { pageOf } from './schemas.ts';
import type { Query, Transport } from './transport.ts';

/** Pax8's maximum page size. */
export const PAGE_SIZE = 200;

export async function collectAll<S extends v.GenericSchema>(
  transport: Transport,
  path: string,
  item: S,
  query: Query = {},
): Promise<v.InferOutput<S>[]> {
  const schema = pageOf(item);
  const all: v.InferOutput<S>[] = [];
  let totalElements = 0;
  let pages = 0;
  for (let page = 0; ; page++) {
    const res = await transport.request('GET', path, schema, { query: { ...query, page, size: PAGE_SIZE } });
    if (res.page.number !== page) {
      throw new AppError(
        'upstream_unavailable',
        `Pax8 answered page ${res.page.number} of ${path} when asked for page ${page}`,
      );
    }
    all.push(...(res.content as v.InferOutput<S>[]));
    totalElements = res.page.totalElements;
    pages = res.page.totalPages;
    if (page + 1 >= res.page.totalPages) break;
  }
  if (all.length !== totalElements) {
    throw new AppError(
      'upstream_unavailable',
      `Pax8 listed ${totalElements} items at ${path} but returned ${all.length} across ${pages} page(s); the list changed while paging or is incomplete`,
      { details: { path, totalElements, collected: all.length, pages } },
    );
  }
  return all;
}
