// Walks Pax8's `{content, page}` envelope to the last page and refuses to return a short list. The first page
// gives the page count; the rest are fetched PAGE_CONCURRENCY at a time (well within Pax8's rate limit),
// each checked to be the page asked for, and put back in page order.
import type * as v from 'valibot';
import { AppError } from '../errors.ts';
import { pageOf } from './schemas.ts';
import type { Query, Transport } from './transport.ts';

/** Pax8's maximum page size. */
export const PAGE_SIZE = 200;
/** Pages of one list fetched at once after the first. */
export const PAGE_CONCURRENCY = 8;

type Page<T> = { content: T[]; page: { number: number; totalElements: number; totalPages: number } };

export async function collectAll<S extends v.GenericSchema, Item = v.InferOutput<S>>(
  transport: Transport,
  path: string,
  item: S,
  query: Query = {},
  /** Applied to each page as it arrives, so only what the caller needs is kept while the rest is paged. */
  project?: (row: v.InferOutput<S>) => Item,
): Promise<Item[]> {
  const schema = pageOf(item);
  const fetchPage = async (page: number): Promise<Page<Item>> => {
    const res = (await transport.request('GET', path, schema, {
      query: { ...query, page, size: PAGE_SIZE },
    })) as Page<v.InferOutput<S>>;
    if (res.page.number !== page) {
      throw new AppError(
        'upstream_unavailable',
        `Pax8 answered page ${res.page.number} of ${path} when asked for page ${page}`,
      );
    }
    return project ? { content: res.content.map(project), page: res.page } : (res as Page<Item>);
  };

  const first = await fetchPage(0);
  const pages: Page<Item>[] = [first];
  let next = 1;
  const worker = async () => {
    while (next < first.page.totalPages) {
      const page = next++;
      pages[page] = await fetchPage(page);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(0, Math.min(PAGE_CONCURRENCY, first.page.totalPages - 1)) }, worker),
  );

  const all: Item[] = [];
  for (const page of pages) for (const row of page.content) all.push(row);
  // The count the last page gave (as when the pages were walked one after another).
  const last = pages[pages.length - 1] as Page<Item>;
  const totalElements = last.page.totalElements;
  if (all.length !== totalElements || pages.some((p) => p.page.totalElements !== totalElements)) {
    throw new AppError(
      'upstream_unavailable',
      `Pax8 listed ${totalElements} items at ${path} but returned ${all.length} across ${pages.length} page(s); the list changed while paging or is incomplete`,
      { details: { path, totalElements, collected: all.length, pages: pages.length } },
    );
  }
  return all;
}
