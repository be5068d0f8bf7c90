// The client against the emulated ConnectWise, wired through `fetch` = the emulator app's request.
import { describe, expect, it } from 'vitest';
import type { ConnectWiseAuth } from '../../server/connectwise/index.ts';
import {
  cond,
  createConnectWiseClient,
  discoverCodebase,
  verifyMember,
} from '../../server/connectwise/index.ts';
import { createCwEmulator, demoCwCredentials, generateLargeCwData } from '../../server/sandbox/cw/index.ts';

const creds = demoCwCredentials;
const keys: ConnectWiseAuth = { kind: 'apiKey', publicKey: creds.publicKey, privateKey: creds.privateKey };

function setup(opts: { auth?: ConnectWiseAuth; clientId?: string; large?: boolean } = {}) {
  // A fixed clock: the demo data hangs off now, and no test may depend on today's date.
  const now = () => new Date('2026-11-25T12:00:00Z');
  const emulator = createCwEmulator(
    opts.large ? { now, data: generateLargeCwData({ companies: 2345, additions: 10, now: now() }) } : { now },
  );
  const fetchFn = ((input: RequestInfo | URL, init?: RequestInit) =>
    emulator.app.request(input, init)) as typeof fetch;
  const waits: number[] = [];
  const cw = createConnectWiseClient({
    siteUrl: 'http://cw.local',
    companyId: creds.companyId,
    clientId: opts.clientId ?? creds.clientId,
    auth: opts.auth ?? keys,
    fetch: fetchFn,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { emulator, cw, fetchFn, waits };
}

describe('client ↔ emulated ConnectWise', () => {
  it('discovers the codebase and reads system/info', async () => {
    const { cw, fetchFn } = setup();
    expect(await discoverCodebase('http://cw.local', creds.companyId, fetchFn)).toBe('v4_6_release/');
    expect(await cw.apiBaseUrl()).toBe('http://cw.local/v4_6_release/apis/3.0');
    expect((await cw.systemInfo()).version).toMatch(/^v\d{4}\.\d/);
  });

  it('unknown company → unknown_company', async () => {
    const { fetchFn } = setup();
    await expect(discoverCodebase('http://cw.local', 'nosuchco', fetchFn)).rejects.toMatchObject({
      kind: 'unknown_company',
      code: 'not_found',
    });
  });

  it.each<[string, Parameters<typeof setup>[0], string, string]>([
    [
      'bad keys',
      { auth: { kind: 'apiKey', publicKey: creds.publicKey, privateKey: 'wrong' } },
      'auth',
      'upstream_auth',
    ],
    ['missing clientId', { clientId: '' }, 'client_id', 'upstream_auth'],
  ])('%s', async (_name, opts, kind, code) => {
    const { cw } = setup(opts);
    await expect(cw.systemInfo()).rejects.toMatchObject({ kind, code, upstreamStatus: 401 });
  });

  it('restricted keys: missing permission names the resource', async () => {
    const restricted = creds.restricted;
    const { cw } = setup({ auth: { kind: 'apiKey', ...restricted } });
    await expect(cw.companies.list({ pageSize: 1 })).resolves.toHaveLength(1);
    await expect(cw.agreements.all()).rejects.toMatchObject({
      code: 'upstream_rejected',
      kind: 'forbidden',
      message: 'The ConnectWise API member is missing permission for finance/agreements (GET)',
    });
  });

  it('every lookup list parses with our schemas', async () => {
    const { cw } = setup();
    const [categories, subcategories, types, uoms, cycles, catalog, companies] = await Promise.all([
      cw.categories.all(),
      cw.subcategories.all(),
      cw.types.all(),
      cw.unitsOfMeasure.all(),
      cw.billingCycles.all(),
      cw.catalog.all(),
      cw.companies.all(),
    ]);
    for (const list of [categories, subcategories, types, uoms, cycles, catalog])
      expect(list.length).toBeGreaterThan(0);
    expect(cycles.map((c) => c.name)).toContain('Monthly');
    expect(companies.length).toBe(await cw.count('company/companies'));
    expect(companies.length).toBeGreaterThanOrEqual(30);
  });

  it('pages through 2,345 companies (forward-only Link), none lost or repeated', async () => {
    const { cw, emulator } = setup({ large: true });
    const rows = await cw.companies.all();
    // One login/companyinfo, then one request per page of 1,000.
    expect(emulator.faults.counts.requests).toBe(1 + Math.ceil(rows.length / 1000));
    expect(rows.length).toBe(await cw.count('company/companies'));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(2345);
  });

  it(`a company named O'Brien "IT" is matched exactly and cannot widen the query`, async () => {
    const { cw, emulator } = setup();
    for (const name of [`O'Brien "IT"`, `O'Brien IT`, 'OBrien "IT"']) {
      emulator.data.insert('companies', {
        identifier: name.replace(/\W/g, '').slice(0, 25),
        name,
        deletedFlag: false,
      });
    }
    const total = await cw.count('company/companies');
    const exact = await cw.companies.list({ conditions: cond.eq('name', `O'Brien "IT"`) });
    expect(exact.map((c) => c.name)).toEqual([`O'Brien "IT"`]);
    expect((await cw.companies.search(`'Brien "I`)).map((c) => c.name)).toEqual([
      `O'Brien "IT"`,
      `O'Brien "IT" Partners`, // a demo customer
    ]);
    for (const attack of [
      'x" or id > 0 or name = "y',
      "x' or id > 0 or name = 'y",
      'x\\" or id > 0 or name = \\"y',
    ]) {
      expect(await cw.companies.list({ conditions: cond.eq('name', attack) })).toEqual([]);
      expect(await cw.count('company/companies', cond.ne('name', attack))).toBe(total);
    }
  });

  it('addition lifecycle: create, get, patch, put, delete', async () => {
    const { cw } = setup();
    const [agreement] = await cw.agreements.all({ conditions: cond.eq('agreementStatus', 'Active') });
    const [item] = await cw.catalog.all();
    if (!agreement || !item) throw new Error('demo data has no active agreement or catalog item');
    const before = await cw.additions.count(agreement.id);
    const created = await cw.additions.create(agreement.id, {
      product: { id: item.id },
      billCustomer: 'Billable',
      quantity: 3,
      unitPrice: 20,
      effectiveDate: '2026-01-01T00:00:00Z',
      invoiceDescription: `Pax8 – O'Brien "IT" seats`,
    });
    expect(created).toMatchObject({
      product: { id: item.id },
      quantity: 3,
      agreementId: agreement.id,
      extPrice: 60,
    });
    expect(await cw.additions.count(agreement.id)).toBe(before + 1);
    const patched = await cw.additions.patch(agreement.id, created.id, [
      { op: 'replace', path: 'quantity', value: 5 },
    ]);
    expect(patched.quantity).toBe(5);
    const current = await cw.additions.get(agreement.id, created.id);
    const put = await cw.additions.update(agreement.id, created.id, { ...current, quantity: 7 });
    expect(put).toMatchObject({ quantity: 7, invoiceDescription: `Pax8 – O'Brien "IT" seats` });
    await cw.additions.delete(agreement.id, created.id);
    await expect(cw.additions.get(agreement.id, created.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an invalid addition → upstream_rejected with CW field errors', async () => {
    const { cw } = setup();
    const [agreement] = await cw.agreements.all();
    const error = await cw.additions
      .create(agreement?.id ?? 1, { product: { id: 999999 }, billCustomer: 'Billable' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream_rejected', kind: 'invalid', upstreamStatus: 400 });
    expect((error as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
  });

  it('429 with Retry-After is waited out on GET; an injected 500 fails a POST once, no retry', async () => {
    const { cw, emulator, waits } = setup();
    await cw.systemInfo();
    emulator.faults.set({ rateLimitNext: 1, retryAfterSeconds: 3 });
    await expect(cw.companies.list({ pageSize: 1 })).resolves.toHaveLength(1);
    expect(waits).toEqual([3000]);
    const [agreement] = await cw.agreements.all();
    const [item] = await cw.catalog.all();
    emulator.faults.set({ serverErrorNext: 1 });
    const before = emulator.faults.counts.requests;
    await expect(
      cw.additions.create(agreement?.id ?? 1, { product: { id: item?.id ?? 1 }, billCustomer: 'Billable' }),
    ).rejects.toMatchObject({ code: 'upstream_unavailable', upstreamStatus: 500 });
    expect(emulator.faults.counts.requests - before).toBe(1);
  });

  it('hosted screens and hosted setups', async () => {
    const { cw } = setup();
    const screens = await cw.hostedScreens();
    expect(screens).toContainEqual({ id: 1, name: 'CompanyDetail' });
    expect(screens).toContainEqual({ id: 8, name: 'AgreementDetail' });
    const made = await cw.hostedSetups.create({
      screenId: 8,
      description: 'Pax8',
      url: 'http://127.0.0.1:8787/pod?screen=[cw_screen]&id=[cw_id]',
      type: 'Pod',
      origin: 'http://127.0.0.1:8787',
      podHeight: 400,
    });
    expect((await cw.hostedSetups.all()).map((h) => h.id)).toContain(made.id);
    const updated = await cw.hostedSetups.update(made.id, { ...made, description: 'Pax8 billing' });
    expect(updated.description).toBe('Pax8 billing');
    await cw.hostedSetups.delete(made.id);
    expect((await cw.hostedSetups.all()).map((h) => h.id)).not.toContain(made.id);
  });

  it('verifyMember: the demo member hash is accepted, a forged one is not', async () => {
    const { fetchFn } = setup();
    const base = {
      target: { siteUrl: 'http://cw.local' },
      companyId: creds.companyId,
      clientId: creds.clientId,
      fetch: fetchFn,
    };
    const member = await verifyMember({ ...base, memberId: creds.member.id, memberHash: creds.member.hash });
    expect(member.identifier).toBe(creds.member.id);
    await expect(
      verifyMember({ ...base, memberId: creds.member.id, memberHash: 'forged' }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });
});
