// The emulated CW REST API through the front door: auth, pagination, query errors, validation, 404s.
import { describe, expect, it } from 'vitest';
import { demoCwCredentials as creds } from '../../server/sandbox/cw/index.ts';
import { apiHeaders, base, basic, origin, setup } from './sandbox-cw-helpers.ts';

describe('login/companyinfo', () => {
  it('describes the known company without auth, null otherwise', async () => {
    const { call } = setup();
    const known = await call('GET', `${origin}/sandbox/cw/login/companyinfo/DEMOCW`, undefined, {});
    expect(known.status).toBe(200);
    expect(known.json).toEqual({
      CompanyName: 'Northwind Managed Services',
      Codebase: 'v4_6_release/',
      VersionCode: 'v2025.1',
      VersionNumber: 'v4.6.10431',
      CompanyID: 'democw',
      IsCloud: false,
    });
    const unknown = await call('GET', `${origin}/sandbox/cw/login/companyinfo/nope`, undefined, {});
    expect([unknown.status, unknown.json]).toEqual([200, null]);
  });
});

describe('auth', () => {
  const cid = { clientId: creds.clientId };
  const cases: [string, Record<string, string>, string, number, string][] = [
    ['no Authorization header', cid, '/system/info', 401, 'Unauthorized'],
    [
      'wrong private key',
      { ...cid, Authorization: basic(creds.publicKey, 'nope') },
      '/system/info',
      401,
      'Unauthorized',
    ],
    [
      'wrong company',
      {
        ...cid,
        Authorization: `Basic ${Buffer.from(`other+${creds.publicKey}:${creds.privateKey}`).toString('base64')}`,
      },
      '/system/info',
      401,
      'Unauthorized',
    ],
    ['missing clientId', { Authorization: apiHeaders.Authorization }, '/system/info', 401, 'Unauthorized'],
    ['API keys', apiHeaders, '/finance/agreements/count', 200, ''],
    [
      'member hash on system/info',
      { ...cid, Authorization: basic('jsmith', creds.member.hash) },
      '/system/info',
      200,
      '',
    ],
    [
      'member hash, other member id',
      { ...cid, Authorization: basic('bwayne', creds.member.hash) },
      '/system/info',
      401,
      'Unauthorized',
    ],
    [
      'restricted keys outside finance',
      { ...cid, Authorization: basic(creds.restricted.publicKey, creds.restricted.privateKey) },
      '/company/companies/count',
      200,
      '',
    ],
    [
      'restricted keys on finance',
      { ...cid, Authorization: basic(creds.restricted.publicKey, creds.restricted.privateKey) },
      '/finance/agreements',
      403,
      'Forbidden',
    ],
  ];
  it.each(cases)('%s', async (_name, headers, path, status, code) => {
    const res = await setup().call('GET', path, undefined, headers);
    expect(res.status).toBe(status);
    if (code) expect(res.json.code).toBe(code);
  });

  it('says clientId is required when it is missing', async () => {
    const res = await setup().call('GET', '/system/info', undefined, {
      Authorization: apiHeaders.Authorization,
    });
    expect(res.json.message).toContain('clientId is required');
  });

  it('accepts a freshly issued member hash for system/members', async () => {
    const { data, call } = setup();
    const hash = data.issueMemberHash('dprince');
    const res = await call('GET', '/system/members?conditions=identifier="dprince"', undefined, {
      clientId: creds.clientId,
      Authorization: basic('dprince', hash),
    });
    expect(res.status).toBe(200);
    expect(res.json.map((m: { name: string; primaryEmail: string }) => [m.name, m.primaryEmail])).toEqual([
      ['Diana Prince', 'dprince@northwind.example'],
    ]);
  });
});

describe('lists and pagination', () => {
  it('defaults to 25 per page with next and last links built from the request URL', async () => {
    const res = await setup().call('GET', '/company/companies');
    expect(res.json).toHaveLength(25);
    expect(res.headers.get('link')).toBe(
      `<${base}/company/companies?pageSize=25&page=2>; rel="next", <${base}/company/companies?pageSize=25&page=2>; rel="last"`,
    );
    const page2 = await setup().call('GET', '/company/companies?pageSize=25&page=2');
    expect(page2.json.map((c: { id: number }) => c.id)).toEqual([325, 328, 331, 334, 337]);
    expect(page2.headers.get('link')).toBe(
      `<${base}/company/companies?pageSize=25&page=1>; rel="prev", <${base}/company/companies?pageSize=25&page=1>; rel="first"`,
    );
  });

  it('caps pageSize at 1000', async () => {
    const { data, call } = setup();
    for (let i = 0; i < 1001; i++) data.insert('countries', { identifier: `X${i}`, name: `Country ${i}` });
    const res = await call('GET', '/company/countries?pageSize=5000');
    expect(res.json).toHaveLength(1000);
    expect(res.headers.get('link')).toContain('pageSize=1000&page=2>; rel="next"');
  });

  it('pages forward-only with pageId and drops the Link on the last page', async () => {
    const { call } = setup();
    const fo = { ...apiHeaders, 'pagination-type': 'forward-only' };
    const first = await call('GET', '/company/companies?pageSize=12&conditions=state="CO"', undefined, fo);
    expect(first.json.map((c: { id: number }) => c.id)).toEqual([253, 256, 268]);
    expect(first.headers.get('link')).toBeNull();
    const p1 = await call('GET', '/company/companies?pageSize=20', undefined, fo);
    expect(p1.headers.get('link')).toBe(`<${base}/company/companies?pageSize=20&pageId=307>; rel="next"`);
    const next = (p1.headers.get('link') as string).slice(1, (p1.headers.get('link') as string).indexOf('>'));
    const p2 = await call('GET', next, undefined, fo);
    expect(p2.json.map((c: { id: number }) => c.id)).toEqual([
      310, 313, 316, 319, 322, 325, 328, 331, 334, 337,
    ]);
    expect(p2.headers.get('link')).toBeNull();
  });

  it('treats pageId as id > pageId on a navigable list too', async () => {
    const res = await setup().call('GET', '/company/companies?pageId=331&fields=id');
    expect(res.json).toEqual([{ id: 334 }, { id: 337 }]);
  });

  it('orders, picks nested fields, counts with conditions', async () => {
    const { call } = setup();
    const res = await call(
      'GET',
      '/company/companies?orderBy=state desc, name asc&fields=id,name,country/name&pageSize=3',
    );
    expect(res.json).toEqual([
      { id: 292, name: 'Lakeside CPA Group', country: { name: 'United States' } },
      { id: 310, name: 'Riverside Auto Body', country: { name: 'United States' } },
      { id: 307, name: 'Quarry Street Cafe', country: { name: 'United States' } },
    ]);
    const count = await call('GET', '/company/companies/count?conditions=city = "Denver" or city = "Gotham"');
    expect(count.json).toEqual({ count: 4 });
  });

  it('finds the Ace Monthly agreement, active, with hrefs', async () => {
    const res = await setup().call(
      'GET',
      '/finance/agreements?conditions=company/name="Ace Chemical Processing Plant" and agreementStatus="Active"',
    );
    expect(res.json.map((a: { name: string }) => a.name)).toEqual(['Ace Monthly', 'Ace Cloud Services']);
    expect(res.json[0].company._info.company_href).toBe(`${base}/company/companies/250`);
    expect(res.json[0].billingCycle.name).toBe('Monthly');
  });

  it.each([
    ['conditions=name =', "Expected a value after '=' at position 6"],
    ['conditions=name like "x', 'Unterminated string at position 10'],
    ['orderBy=name sideways', "orderBy direction must be asc or desc, not 'sideways'"],
    ['pageSize=ten', "pageSize must be a whole number, not 'ten'"],
    [
      'conditions=deletedFlag = 0',
      'Expected a boolean value, not a numeric, for deletedFlag. String values should be enclosed with double or single quotes; DateTime values should be enclosed in square brackets; numbers should consist of only digits, and optionally a decimal point and a negation sign; boolean values should be indicated with the keywords true or false; null values should be indicated by the keyword null.',
    ],
  ])('400 for %s', async (query, message) => {
    const res = await setup().call('GET', `/company/companies?${query}`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: 'InvalidObject', message });
  });
});

describe('validation and 404s', () => {
  it('rejects missing required fields and over-long strings like CW', async () => {
    const res = await setup().call('POST', '/company/companies', { identifier: 'X'.repeat(31) });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      code: 'InvalidObject',
      message: 'company object is invalid',
      errors: [
        { code: 'NullValue', message: 'The name field is required.', resource: 'company', field: 'name' },
        {
          code: 'InvalidField',
          message: 'The field identifier must be a string with a maximum length of 30.',
          resource: 'company',
          field: 'identifier',
        },
      ],
    });
  });

  it('rejects a hosted setup with an unknown type', async () => {
    const res = await setup().call('POST', '/system/connectwisehostedsetups', {
      screenId: 1,
      description: 'Pax8',
      url: 'https://x',
      type: 'Popup',
    });
    expect(res.json.errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([
      ['type', 'InvalidField'],
    ]);
  });

  it.each([
    ['GET', '/company/companies/9999', 'Company recId 9999 not found'],
    ['GET', '/finance/agreements/9999/additions', 'Agreement recId 9999 not found'],
    ['DELETE', '/procurement/catalog/9999', 'Catalog item recId 9999 not found'],
    ['GET', '/nothing/here', `The resource /sandbox/cw/v4_6_release/apis/3.0/nothing/here was not found.`],
  ])('%s %s → 404', async (method, path, message) => {
    const res = await setup().call(method, path);
    expect([res.status, res.json]).toEqual([404, { code: 'NotFound', message }]);
  });
});
