import { describe, expect, it } from 'vitest';
import type { ConnectWiseTarget } from '../../server/connectwise/index.ts';
import {
  ConnectWiseError,
  cond,
  createConnectWiseClient,
  discoverCodebase,
  verifyMember,
} from '../../server/connectwise/index.ts';
import { apiKey, cwJson, recordingFetch, testClient } from './connectwise-fakes.ts';

const info = { version: 'v2025.1.12345', isCloud: true, serverTimeZone: 'UTC', cloudRegion: 'NA' };

describe('where requests go', () => {
  it.each<[string, ConnectWiseTarget, string]>([
    ['na', { region: 'na' }, 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0/system/info'],
    ['eu', { region: 'eu' }, 'https://api-eu.myconnectwise.net/v4_6_release/apis/3.0/system/info'],
    ['au', { region: 'au' }, 'https://api-au.myconnectwise.net/v4_6_release/apis/3.0/system/info'],
    [
      'staging',
      { region: 'staging' },
      'https://api-staging.connectwisedev.com/v4_6_release/apis/3.0/system/info',
    ],
    [
      'explicit base with trailing slash',
      { apiBaseUrl: 'http://127.0.0.1:8787/sandbox/cw/v4_6_release/apis/3.0/' },
      'http://127.0.0.1:8787/sandbox/cw/v4_6_release/apis/3.0/system/info',
    ],
  ])('%s', async (_name, target, expected) => {
    const { fetch, seen } = recordingFetch(() => cwJson(info));
    const cw = createConnectWiseClient({ ...target, companyId: 'acme', clientId: 'c', auth: apiKey, fetch });
    expect(await cw.systemInfo()).toMatchObject({ version: 'v2025.1.12345' });
    expect(seen.map((s) => s.url)).toEqual([expected]);
  });

  it('self-hosted: discovers the codebase once, then uses it', async () => {
    const { fetch, seen } = recordingFetch((req) =>
      req.url.includes('/login/companyinfo/')
        ? cwJson({ CompanyName: 'Acme', Codebase: 'v2025_1/', CompanyID: 'acme', IsCloud: false })
        : cwJson(info),
    );
    const cw = createConnectWiseClient({
      siteUrl: 'https://cw.example.com/',
      companyId: 'acme',
      clientId: 'c',
      auth: apiKey,
      fetch,
    });
    await cw.systemInfo();
    await cw.systemInfo();
    expect(seen.map((s) => s.url)).toEqual([
      'https://cw.example.com/login/companyinfo/acme',
      'https://cw.example.com/v2025_1/apis/3.0/system/info',
      'https://cw.example.com/v2025_1/apis/3.0/system/info',
    ]);
    expect(seen[0]?.headers.get('authorization')).toBeNull();
  });

  it('puts escaped conditions, orderBy and paging in the query string', async () => {
    const { fetch, seen } = recordingFetch(() => cwJson([]));
    const { client } = testClient(fetch);
    await client.companies.list({
      conditions: cond.eq('name', `O'Brien "IT"`),
      orderBy: 'name asc',
      pageSize: 10,
    });
    const url = new URL(seen[0]?.url ?? '');
    expect(url.pathname).toBe('/v4_6_release/apis/3.0/company/companies');
    expect(url.searchParams.get('conditions')).toBe(`name = "O'Brien \\"IT\\""`);
    expect(url.searchParams.get('orderBy')).toBe('name asc');
    expect(url.searchParams.get('pageSize')).toBe('10');
  });
});

describe('codebase discovery', () => {
  it('returns the codebase with its trailing slash', async () => {
    const { fetch } = recordingFetch(() =>
      cwJson({ CompanyName: 'X', Codebase: 'v2017_3', CompanyID: 'CW' }),
    );
    expect(await discoverCodebase('https://cw.example.com', 'CW', fetch)).toBe('v2017_3/');
  });

  it.each<[string, () => Response | never, string, string]>([
    ['null → unknown company', () => cwJson(null), 'unknown_company', 'not_found'],
    ['HTML page', () => new Response('<html>login</html>'), 'bad_response', 'upstream_unavailable'],
    [
      'codebase that is a path',
      () => cwJson({ Codebase: '../../evil/' }),
      'bad_response',
      'upstream_unavailable',
    ],
    [
      'DNS failure',
      () => {
        throw new TypeError('fetch failed: getaddrinfo ENOTFOUND');
      },
      'unreachable',
      'upstream_unavailable',
    ],
  ])('%s', async (_name, answer, kind, code) => {
    const { fetch } = recordingFetch(answer);
    const error = await discoverCodebase('https://cw.example.com', 'nope', fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectWiseError);
    expect(error).toMatchObject({ kind, code });
  });

  it('a site that never answers times out', async () => {
    const fetch = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      })) as typeof globalThis.fetch;
    await expect(discoverCodebase('https://cw.example.com', 'acme', fetch, 5)).rejects.toMatchObject({
      kind: 'timeout',
      code: 'upstream_unavailable',
    });
  });

  it('failed discovery is not cached: the next call tries again', async () => {
    const { fetch, seen } = recordingFetch((req, n) =>
      n === 1
        ? cwJson({ code: 'X' }, 502)
        : req.url.includes('companyinfo')
          ? cwJson({ Codebase: 'v1/' })
          : cwJson(info),
    );
    const cw = createConnectWiseClient({
      siteUrl: 'https://cw.example.com',
      companyId: 'acme',
      clientId: 'c',
      auth: apiKey,
      fetch,
    });
    await expect(cw.systemInfo()).rejects.toMatchObject({ kind: 'bad_response' });
    await expect(cw.systemInfo()).resolves.toMatchObject({ version: 'v2025.1.12345' });
    expect(seen.map((s) => new URL(s.url).pathname)).toEqual([
      '/login/companyinfo/acme',
      '/login/companyinfo/acme',
      '/v1/apis/3.0/system/info',
    ]);
  });
});

describe('auth headers', () => {
  it.each([
    ['API keys', apiKey, 'acme+pub123:sEcReTpRiVaTe'],
    ['member hash', { kind: 'member', memberId: 'jsmith', memberHash: 'h4sh' } as const, 'acme+jsmith:h4sh'],
  ])('%s: Basic company+user:secret and clientId', async (_name, auth, plain) => {
    const { fetch, seen } = recordingFetch(() => cwJson(info));
    const { client } = testClient(fetch, { auth });
    await client.systemInfo();
    expect(seen[0]?.headers.get('authorization')).toBe(`Basic ${Buffer.from(plain).toString('base64')}`);
    expect(seen[0]?.headers.get('clientid')).toBe('client-guid');
  });
});

describe('hosted screens report', () => {
  it('turns column definitions and rows into {id, name}', async () => {
    const report = {
      column_definitions: [
        {
          Presenter_Identifier_Client_Api_RecID: { type: 'Numeric', isNullable: false, identityColumn: true },
        },
        { Client_Api_ID: { type: 'Text', isNullable: false, identityColumn: false } },
      ],
      row_values: [
        [1, 'CompanyDetail'],
        [2, 'ContactDetail'],
        [7, 'CompanyFinanceDetail'],
      ],
    };
    const { fetch, seen } = recordingFetch(() => cwJson(report));
    const { client } = testClient(fetch);
    expect(await client.hostedScreens()).toEqual([
      { id: 1, name: 'CompanyDetail' },
      { id: 2, name: 'ContactDetail' },
      { id: 7, name: 'CompanyFinanceDetail' },
    ]);
    expect(seen[0]?.url).toBe(
      'http://cw.test/v4_6_release/apis/3.0/system/reports/ConnectWiseHostedApiScreen',
    );
  });
});

describe('verifyMember', () => {
  const member = {
    id: 12,
    identifier: 'jsmith',
    firstName: 'Jane',
    lastName: 'Smith',
    primaryEmail: 'jane@x.test',
  };
  const run = (answer: () => Response) => {
    const { fetch, seen } = recordingFetch(answer);
    const result = verifyMember({
      target: { apiBaseUrl: 'http://cw.test/v4_6_release/apis/3.0' },
      companyId: 'acme',
      clientId: 'c',
      memberId: 'jsmith',
      memberHash: 'h4sh',
      fetch,
    });
    return { result, seen };
  };

  it('returns the member CW found with the member-hash credentials', async () => {
    const { result, seen } = run(() => cwJson([member]));
    expect(await result).toEqual({
      id: 12,
      identifier: 'jsmith',
      firstName: 'Jane',
      lastName: 'Smith',
      email: 'jane@x.test',
    });
    const url = new URL(seen[0]?.url ?? '');
    expect(url.pathname).toBe('/v4_6_release/apis/3.0/system/members');
    expect(url.searchParams.get('conditions')).toBe('identifier = "jsmith"');
    expect(seen[0]?.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('acme+jsmith:h4sh').toString('base64')}`,
    );
  });

  it.each<[string, () => Response]>([
    ['hash rejected', () => cwJson({ code: 'Unauthorized', message: 'bad' }, 401)],
    ['no such member', () => cwJson([])],
    ['another member', () => cwJson([{ ...member, identifier: 'someoneelse' }])],
    ['inactive member', () => cwJson([{ ...member, inactiveFlag: true }])],
  ])('%s → unauthorized', async (_name, answer) => {
    await expect(run(answer).result).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
  });
});
