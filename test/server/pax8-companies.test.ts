// GET /api/pax8/companies?search=: finding the Pax8 company to bind when the likely matches are not it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchCompanies } from '../../server/routes/pax8-companies.ts';
import { demoCustomers, pax8CompanyIdOf } from '../../server/sandbox/demo/msp.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const companies = [
  { id: 'a', name: 'Cedar and Pine Law Office' },
  { id: 'b', name: 'Pine Ridge Dental' },
  { id: 'c', name: 'Cedar Rapids Roofing' },
  { id: 'd', name: 'Zephyr Travel' },
];

describe('searchCompanies', () => {
  it.each([
    ['pine', 10, ['b', 'a']],
    ['cedar', 10, ['c', 'a']],
    ['cedar pine', 10, ['a', 'c']],
    ['Cedar & Pine Law', 10, ['a']],
    ['zephyr', 10, ['d']],
    ['nothing like it', 10, []],
    ['pine', 1, ['b']],
  ])('%j (limit %i) → %j', (search, limit, ids) => {
    expect(searchCompanies(search, companies, limit).map((c) => c.pax8CompanyId)).toEqual(ids);
  });
});

describe('GET /api/pax8/companies', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ now: new Date('2026-11-20T12:00:00Z') });
  });
  afterEach(() => h.close());

  it('finds an unbound Pax8 company by part of its name', async () => {
    const juniper = demoCustomers.find((c) => c.identifier === 'JuniperVet')!;
    const res = await h.call('GET', '/api/pax8/companies?search=veterinary');
    expect(res.status).toBe(200);
    expect(res.json.companies).toEqual([
      {
        pax8CompanyId: pax8CompanyIdOf(juniper),
        name: 'Juniper Veterinary Clinic',
        score: expect.any(Number),
      },
    ]);
  });

  it('walks the Pax8 company list once a minute at most, however often the user types', async () => {
    const walks = () => h.upstreamCalls.filter((c) => c.endsWith('/v1/companies')).length;
    const before = walks();
    await h.call('GET', '/api/pax8/companies?search=ve');
    await h.call('GET', '/api/pax8/companies?search=veter');
    await h.call('GET', '/api/pax8/companies?search=veterinary');
    expect(walks() - before).toBe(1);
    h.setNow(new Date('2026-11-20T12:01:01Z'));
    await h.call('GET', '/api/pax8/companies?search=veterinary');
    expect(walks() - before).toBe(2);
  });

  it('leaves out companies already bound to a ConnectWise company', async () => {
    const res = await h.call('GET', '/api/pax8/companies?search=Ace%20Chemical');
    expect(res.status).toBe(200);
    expect(res.json.companies.map((c: { name: string }) => c.name)).not.toContain(
      'Ace Chemical Processing Plant',
    );
  });

  it.each([
    ['/api/pax8/companies', 'search'],
    ['/api/pax8/companies?search=', 'search'],
    ['/api/pax8/companies?search=%20%20', 'search'],
    [`/api/pax8/companies?search=${'x'.repeat(101)}`, 'search'],
    ['/api/pax8/companies?search=ace&limit=abc', 'limit'],
  ])('%s → 400 naming %s', async (path, field) => {
    const res = await h.call('GET', path);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('bad_request');
    expect(res.json.error.message).toContain(field);
  });

  it('needs a session', async () => {
    const res = await h.call('GET', '/api/pax8/companies?search=ace', undefined, { token: 'forged' });
    expect(res.status).toBe(401);
  });
});
