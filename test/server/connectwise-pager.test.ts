import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { cond } from '../../server/connectwise/index.ts';
import { nextLink } from '../../server/connectwise/pager.ts';
import { cwJson, recordingFetch, testClient } from './connectwise-fakes.ts';

type Mode = 'forward-only' | 'navigable' | 'no-link';

/** A tiny CW-like companies endpoint with `total` rows, paging the way `mode` says. */
function fakeCw(total: number, mode: Mode, failPage?: number) {
  const rows = Array.from({ length: total }, (_, i) => ({
    id: i + 1,
    identifier: `C${i + 1}`,
    name: `Company ${i + 1}`,
  }));
  const app = new Hono();
  app.get('/v4_6_release/apis/3.0/company/companies', (c) => {
    const size = Math.min(Number(c.req.query('pageSize') ?? 25), 1000);
    const page = Number(c.req.query('page') ?? 1);
    const pageId = Number(c.req.query('pageId') ?? 0);
    const forward = mode === 'forward-only' && c.req.header('pagination-type') === 'forward-only';
    const slice = forward
      ? rows.filter((r) => r.id > pageId).slice(0, size)
      : rows.slice((page - 1) * size, page * size);
    if (failPage !== undefined && (forward ? Math.floor(pageId / size) + 1 : page) === failPage) {
      return c.json({ code: 'ServerError', message: 'boom' }, 500);
    }
    const self = new URL(c.req.url);
    self.searchParams.delete('page');
    self.searchParams.delete('pageId');
    const last = slice.at(-1);
    if (forward && last && last.id < total) {
      c.header('Link', `<${self}&pageId=${last.id}>`);
    }
    if (mode === 'navigable' && page * size < total) {
      c.header(
        'Link',
        `<${self}&page=${page + 1}>; rel="next", <${self}&page=${Math.ceil(total / size)}>; rel="last"`,
      );
    }
    return c.json(slice);
  });
  const { fetch, seen } = recordingFetch((req) => app.request(req));
  return { fetch, seen };
}

const pagesAsked = (seen: { url: string }[]) =>
  seen.map((s) => {
    const q = new URL(s.url).searchParams;
    return [q.get('page'), q.get('pageId')].map((v) => v ?? '-').join('/');
  });

describe('pager', () => {
  it.each<[string, number, Mode, number, string[]]>([
    ['forward-only Link', 2500, 'forward-only', 2500, ['-/-', '-/1000', '-/2000']],
    ['navigable Link rel=next', 2500, 'navigable', 2500, ['-/-', '2/-', '3/-']],
    ['no Link: page=N until a short page', 2500, 'no-link', 2500, ['-/-', '2/-', '3/-']],
    ['no Link, exact multiple: one empty page ends it', 2000, 'no-link', 2000, ['-/-', '2/-', '3/-']],
    ['forward-only, exact multiple: no Link on the last page', 2000, 'forward-only', 2000, ['-/-', '-/1000']],
    ['single short page', 3, 'forward-only', 3, ['-/-']],
    ['empty', 0, 'no-link', 0, ['-/-']],
  ])('%s', async (_name, total, mode, expectedRows, expectedPages) => {
    const { fetch, seen } = fakeCw(total, mode);
    const { client } = testClient(fetch);
    const rows = await client.companies.all();
    expect(rows.length).toBe(expectedRows);
    expect(new Set(rows.map((r) => r.id)).size).toBe(expectedRows);
    expect(pagesAsked(seen)).toEqual(expectedPages);
    expect(seen.every((s) => new URL(s.url).searchParams.get('pageSize') === '1000')).toBe(true);
  });

  it('keeps the conditions on every fallback page', async () => {
    const { fetch, seen } = fakeCw(1500, 'no-link');
    const { client } = testClient(fetch);
    await client.companies.all({ conditions: cond.eq('deletedFlag', false) });
    expect(seen.map((s) => new URL(s.url).searchParams.get('conditions'))).toEqual([
      'deletedFlag = false',
      'deletedFlag = false',
    ]);
  });

  it.each<[Mode]>([['forward-only'], ['navigable'], ['no-link']])(
    '%s: a failing page throws, never a short list',
    async (mode) => {
      const { fetch } = fakeCw(2500, mode, 2);
      const { client } = testClient(fetch, { retries: 0 });
      await expect(client.companies.all()).rejects.toMatchObject({
        code: 'upstream_unavailable',
        kind: 'server',
      });
    },
  );

  it('a Link that points at another host is fetched from the API host (keys stay home)', async () => {
    const { fetch, seen } = recordingFetch((_req, n) =>
      n === 1
        ? cwJson(
            Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, identifier: 'x', name: 'y' })),
            200,
            {
              Link: '<https://evil.example/v4_6_release/apis/3.0/company/companies?pageSize=1000&pageId=1000>',
            },
          )
        : cwJson([]),
    );
    const { client } = testClient(fetch);
    await client.companies.all();
    expect(seen[1]?.url).toBe(
      'http://cw.test/v4_6_release/apis/3.0/company/companies?pageSize=1000&pageId=1000',
    );
  });

  it('a Link that repeats itself is an error, not an endless loop', async () => {
    const full = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, identifier: 'x', name: 'y' }));
    const { fetch } = recordingFetch(() =>
      cwJson(full, 200, { Link: '<http://cw.test/v4_6_release/apis/3.0/company/companies?pageId=5>' }),
    );
    const { client } = testClient(fetch);
    await expect(client.companies.all()).rejects.toMatchObject({ kind: 'bad_response' });
  });
});

describe('nextLink', () => {
  it.each<[string | null, string | null]>([
    [null, null],
    ['<https://h/a?page=2>; rel="next", <https://h/a?page=9>; rel="last"', 'https://h/a?page=2'],
    ['<https://h/a?page=1>; rel="first", <https://h/a?page=9>; rel="last"', null],
    ['<https://h/a?pageSize=1000&pageId=1000>', 'https://h/a?pageSize=1000&pageId=1000'],
    ['<https://h/a?conditions=id in (1,2)&page=3>; rel=next', 'https://h/a?conditions=id in (1,2)&page=3'],
  ])('%s', (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});
