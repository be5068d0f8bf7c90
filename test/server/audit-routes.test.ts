// The audit and companies routes through the front door, with both emulators: what the unsynced list says
// about the demo MSP, a sync taking a row off it, ignore/restore with audit rows, bad input, paging.
import { afterEach, describe, expect, it } from 'vitest';
import { likelyMatcher } from '../../server/routes/audit.ts';
import { demoCustomers, pax8CompanyIdOf } from '../../server/sandbox/demo/msp.ts';
import { createPax8Data, generateLargePax8Data } from '../../server/sandbox/pax8/index.ts';
import { rankCandidates } from '../../server/sync/candidates.ts';
import { ace, aceSubscription, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
afterEach(() => h.close());

const aceSub = (key: string) => aceSubscription(h.pax8.data, key);

type Row = { subscription: { id: string; companyName: string; productName: string }; reason: string };
const reasonOf = (rows: Row[], id: string) =>
  rows.find((r) => r.subscription.id === id)?.reason ?? 'not listed';

describe('GET /api/audit/unsynced', () => {
  it('classifies every demo subscription from one walk of the subscription list', async () => {
    h = await createHarness({ now });
    const res = await h.call('GET', '/api/audit/unsynced');
    expect(res.status).toBe(200);
    // Issue 10 adds 4 demo subscriptions (3-year, annual paid monthly, trial converted, annual cancelled in its
    // window: that one has ended) and binds the Annual and 3-Year terms, so the annual ones are syncable now.
    // Gibson's annual Business Basic on 'Gibson Annual' (billing cycle Annual) is already billed as a recurring
    // addition (spec §5's recurring alternative): synced.
    expect(res.json.counts).toEqual({
      subscriptions: 96,
      companies: 28,
      nonArrears: 92,
      arrears: 1,
      ignored: 0,
      synced: 1,
      ended: 2,
    });
    expect(res.json.checked.statement).toBe(
      'Checked 96 Pax8 subscriptions of 28 companies: 92 unsynced, 1 billed in arrears, 0 ignored, 1 synced, 2 ended.',
    );
    expect(res.json.checkedAt).toBe('2020-09-20T12:00:00.000Z');
    const reasons: Record<string, number> = {};
    for (const row of res.json.nonArrears as Row[]) reasons[row.reason] = (reasons[row.reason] ?? 0) + 1;
    // Judged from ConnectWise's additions (issue 9): the demo's lines written by hand are not "never synced";
    // 16 bill another quantity than Pax8 and Ace's Dropsuite bills on two agreements.
    // Issue 10: the 10 annual subscriptions of bound companies are bound on their term now (never synced, with their
    // money, instead of product not bound), plus the 3-year and converted trial (never synced) and the annual paid
    // monthly (its hand-written E3 line bills another quantity).
    expect(reasons).toEqual({
      never_synced: 27,
      quantity_differs: 17,
      double_billed: 1,
      product_not_bound: 26,
      company_not_bound: 21,
    });
    expect(res.json.arrears).toEqual([
      {
        subscription: expect.objectContaining({
          companyName: 'Ace Chemical Processing Plant',
          productName: 'Microsoft Azure Plan',
        }),
        cwCompanyId: ace.cwId,
        reason: 'arrears',
        // Judged per closed month since issue 10 (Azure is bound as usage): the agreement to sync it on and
        // the months not billed. June–August 2020 are on the emulated Pax8's invoices; September is running.
        agreementId: expect.any(Number),
        money: expect.objectContaining({
          message: expect.stringMatching(
            /^Usage for June 2020 \(\$[\d.]+\), July 2020 .* September 2020: usage not closed yet\.$/,
          ),
        }),
      },
    ]);
    // The first rows are the guide's columns: id, company, subscription.
    expect(
      (res.json.nonArrears as Row[])
        .slice(0, 3)
        .map((r) => `${r.subscription.companyName} | ${r.subscription.productName} | ${r.reason}`),
    ).toEqual([
      'Ace Chemical Processing Plant | Dropsuite Business Backup + Email Archiving | double_billed',
      'Ace Chemical Processing Plant | Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite | never_synced',
      'Arcadia Tech | Exchange Online (Plan 1) | product_not_bound',
    ]);
    // No per-company Pax8 call: the token, the subscriptions, the companies. ConnectWise (issue 9: "synced" is
    // judged from its additions): one agreements walk for the bound companies, then one additions walk per
    // active agreement of a bound company (28 in the demo), never one call per subscription.
    const calls = [...h.upstreamCalls].sort();
    // Issue 10: the usage months come from Pax8's invoices, one list and one items page per invoice (three).
    const invoiceIds = [...h.pax8.data.invoices.keys()].sort();
    expect(calls.filter((c) => c.includes('pax8.test'))).toEqual([
      'GET pax8.test/v1/companies',
      'GET pax8.test/v1/invoices',
      ...invoiceIds.map((id) => `GET pax8.test/v1/invoices/${id}/items`),
      'GET pax8.test/v1/subscriptions',
      'POST pax8.test/v1/token',
    ]);
    expect(invoiceIds).toHaveLength(3);
    const bound = new Set((await h.repos.companyBindings.list(h.tenant.id)).map((b) => b.cwCompanyId));
    const active = [...h.cw.data.tables.agreements.rows.values()].filter(
      (a) => a.agreementStatus === 'Active' && bound.has((a.company as { id: number }).id),
    );
    expect(active).toHaveLength(28);
    expect(calls.filter((c) => c.endsWith('/finance/agreements'))).toHaveLength(1);
    expect(calls.filter((c) => c.endsWith('/additions'))).toHaveLength(28);
    expect(calls).toHaveLength(3 + 1 + 3 + 1 + 28);
  });

  it('walks every page: 450 subscriptions over 3 pages, none dropped', async () => {
    h = await createHarness({
      now,
      pax8Data: generateLargePax8Data({ companies: 60, subscriptions: 450 }, now),
    });
    const res = await h.call('GET', '/api/audit/unsynced');
    expect(res.status).toBe(200);
    expect(res.json.counts.subscriptions).toBe(450);
    expect(res.json.counts.companies).toBe(60);
    expect(h.upstreamCalls.filter((c) => c === 'GET pax8.test/v1/subscriptions')).toHaveLength(3);
  });

  it('says nothing was checked when Pax8 lists no subscriptions', async () => {
    h = await createHarness({ now, pax8Data: createPax8Data() });
    const res = await h.call('GET', '/api/audit/unsynced');
    expect(res.status).toBe(200);
    expect(res.json.checked).toEqual({
      subscriptions: 0,
      companies: 0,
      nothingRead: true,
      statement:
        'No subscriptions were read from Pax8, so nothing was checked. An empty list here does not mean everything is synced.',
    });
  });

  it('takes a synced subscription off the list, and puts it back when Pax8 changes after the sync', async () => {
    h = await createHarness({ now });
    const agreementId = h.agreementNamed('Ace Monthly').id;
    const e3 = aceSub('o365e3');
    expect(reasonOf((await h.call('GET', '/api/audit/unsynced')).json.nonArrears, e3.id)).toBe(
      'never_synced',
    );
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: e3.id, agreementId });
    expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);

    const after = await h.call('GET', '/api/audit/unsynced');
    expect(reasonOf(after.json.nonArrears, e3.id)).toBe('not listed');
    // Ace's E3, plus Gibson's annual Business Basic synced in the demo.
    expect(after.json.counts.synced).toBe(2);

    // A seat added in Pax8 the next day (the emulator's record edited in place, as Pax8 would report it).
    h.setNow(new Date('2020-09-21T12:00:00Z'));
    Object.assign(e3, { quantity: 3, updatedDate: '2020-09-21T09:00:00.000Z' });
    const changed = await h.call('GET', '/api/audit/unsynced', undefined, {
      token: await h.tokenFor(h.tenant.id),
    });
    // ConnectWise bills 2 seats, Pax8 has 3: the judgement names the difference (it said changed_since_sync
    // when the journal alone decided).
    expect(reasonOf(changed.json.nonArrears, e3.id)).toBe('quantity_differs');
  });
});

describe('GET /api/audit/unsynced judges "synced" from ConnectWise (spec §8)', () => {
  it('a lost journal does not make a synced subscription "never synced": its marked additions are in ConnectWise', async () => {
    h = await createHarness({ now });
    const agreementId = h.agreementNamed('Ace Monthly').id;
    const e3 = aceSub('o365e3');
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: e3.id, agreementId });
    expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);
    await h.store.db.deleteFrom('sync_journal').execute();
    const audit = await h.call('GET', '/api/audit/unsynced');
    expect(reasonOf(audit.json.nonArrears, e3.id)).toBe('not listed');
    expect(audit.json.counts.synced).toBe(2);
  });

  it('says the money per month: Ace Dropsuite billed on two agreements', async () => {
    h = await createHarness({ now });
    const audit = await h.call('GET', '/api/audit/unsynced');
    const row = (audit.json.nonArrears as (Row & { money?: { message: string } })[]).find(
      (r) => r.subscription.id === aceSub('dropsuite').id,
    );
    // Pax8: 2 seats at 4.00; ConnectWise: 16 seats on Ace Monthly and 6 on Ace Cloud Services.
    expect(row?.reason).toBe('double_billed');
    expect(row?.money?.message).toBe(
      'ConnectWise will bill $88.00/mo, should bill $8.00/mo: $80.00/mo billed too much.',
    );
  });
});

describe('POST /api/audit/ignore and /restore', () => {
  it('ignores a subscription into the ignored list and restores it, each with an audit row', async () => {
    h = await createHarness({ now });
    const id = aceSub('dropsuite').id;
    const ignored = await h.call('POST', '/api/audit/ignore', {
      subscriptionId: id,
      reason: 'billed on the MSA',
    });
    expect(ignored.status).toBe(201);
    expect(ignored.json.ignored).toMatchObject({
      subscriptionId: id,
      reason: 'billed on the MSA',
      ignoredBy: 'jsmith',
    });

    const audit = await h.call('GET', '/api/audit/unsynced');
    expect(reasonOf(audit.json.nonArrears, id)).toBe('not listed');
    expect(audit.json.counts).toMatchObject({ nonArrears: 91, ignored: 1 });
    expect(audit.json.ignored).toEqual([
      expect.objectContaining({
        subscriptionId: id,
        note: 'billed on the MSA',
        ignoredBy: 'jsmith',
        reason: 'double_billed',
        cwCompanyId: ace.cwId,
        subscription: expect.objectContaining({ productName: 'Dropsuite Business Backup + Email Archiving' }),
      }),
    ]);

    const restored = await h.call('POST', '/api/audit/restore', { subscriptionId: id });
    expect(restored).toEqual({ status: 200, json: { restored: { subscriptionId: id } } });
    const back = await h.call('GET', '/api/audit/unsynced');
    expect(reasonOf(back.json.nonArrears, id)).toBe('double_billed');
    expect(back.json.ignored).toEqual([]);

    const log = await h.repos.audit.list(h.tenant.id, { target: `subscription:${id}` });
    expect(log.map((e) => [e.action, e.actor])).toEqual([
      ['subscription.restore', 'jsmith'],
      ['subscription.ignore', 'jsmith'],
    ]);
  });

  it('keeps one tenant’s ignore list from another', async () => {
    h = await createHarness({ now });
    const id = aceSub('dropsuite').id;
    await h.call('POST', '/api/audit/ignore', { subscriptionId: id });
    const other = await h.addTenant('Other MSP', 'other.test');
    const res = await h.call('GET', '/api/audit/unsynced', undefined, { token: await h.tokenFor(other.id) });
    expect(res.json.ignored).toEqual([]);
  });

  it.each([
    ['ignore', 'not JSON', { raw: '{' }, 400, 'bad_request'],
    ['ignore', 'no id', { body: {} }, 400, 'bad_request'],
    ['ignore', 'id not a uuid', { body: { subscriptionId: '42' } }, 400, 'bad_request'],
    [
      'ignore',
      'reason not text',
      { body: { subscriptionId: '0e4c8a83-2b6a-4b0c-9d7c-3f1f0b8b8c11', reason: 5 } },
      400,
      'bad_request',
    ],
    [
      'ignore',
      'unknown field',
      { body: { subscriptionId: '0e4c8a83-2b6a-4b0c-9d7c-3f1f0b8b8c11', x: 1 } },
      400,
      'bad_request',
    ],
    [
      'ignore',
      'unknown subscription',
      { body: { subscriptionId: '0e4c8a83-2b6a-4b0c-9d7c-3f1f0b8b8c11' } },
      404,
      'not_found',
    ],
    [
      'restore',
      'not ignored',
      { body: { subscriptionId: '0e4c8a83-2b6a-4b0c-9d7c-3f1f0b8b8c11' } },
      404,
      'not_found',
    ],
    ['restore', 'id not a uuid', { body: { subscriptionId: 'abc' } }, 400, 'bad_request'],
  ])('%s with %s → %s', async (path, _name, input, status, code) => {
    h = await createHarness({ now });
    const res =
      'raw' in input
        ? await h.call('POST', `/api/audit/${path}`, undefined, { raw: input.raw })
        : await h.call('POST', `/api/audit/${path}`, input.body);
    expect(res.status).toBe(status);
    expect(res.json.error.code).toBe(code);
  });

  it('needs a session', async () => {
    h = await createHarness({ now });
    const res = await h.app.request('http://pod.test/api/audit/unsynced');
    expect(res.status).toBe(401);
  });
});

describe('GET /api/companies', () => {
  it('joins ConnectWise companies with their Pax8 bindings and likely matches', async () => {
    h = await createHarness({ now });
    const res = await h.call('GET', '/api/companies');
    expect(res.status).toBe(200);
    type CompanyRow = {
      cwCompany: { id: number; name: string; identifier: string };
      pax8Company: { id: string; name: string } | null;
      candidates: { name: string; score: number }[];
    };
    const rows = res.json.companies as CompanyRow[];
    const row = (identifier: string) => rows.find((r) => r.cwCompany.identifier === identifier)!;
    expect(res.json.counts).toEqual({ cwCompanies: rows.length, pax8Companies: 28, bound: 21 });
    expect(row('AceChemical')).toEqual({
      cwCompany: { id: ace.cwId, name: 'Ace Chemical Processing Plant', identifier: 'AceChemical' },
      pax8Company: { id: pax8CompanyIdOf(ace), name: 'Ace Chemical Processing Plant' },
      candidates: [],
    });
    expect(row('CedarLaw').pax8Company).toBeNull();
    expect(row('CedarLaw').candidates[0]).toMatchObject({ name: 'Cedar and Pine Law Office', score: 1 });
    expect(row('QuarryCafe').candidates).toEqual([]);
    expect(rows.slice(0, 4).map((r) => r.cwCompany.name)).toEqual([
      'Ace Chemical Processing Plant',
      'Arcadia Tech',
      "Batman's Tech",
      'Blue Ridge Dental Group',
    ]);
  });
});

describe('likelyMatcher (the companies page scores every unbound company at once)', () => {
  const directory = [
    { id: 'p1', name: 'Cedar and Pine Law Office' },
    { id: 'p2', name: 'Cedar Pines' },
    { id: 'p3', name: 'Yellowstone Outfitters LLC' },
    { id: 'p4', name: 'A' },
    { id: 'p5', name: 'The Co.' },
    ...Array.from({ length: 40 }, (_, i) => ({ id: `g${i}`, name: `Company ${i} Holdings LLC` })),
  ];
  const match = likelyMatcher(directory);

  it.each([
    [
      'Cedar & Pine Law Office',
      [
        ['Cedar and Pine Law Office', 1],
        ['Cedar Pines', 0.53],
      ],
    ],
    ['Yellowstone Outfitters', [['Yellowstone Outfitters LLC', 1]]],
    ['a', [['A', 1]]],
    ['Inc.', []],
    ['Quarry Street Cafe', []],
  ])('%s → %j', (name, expected) => {
    expect(match(name).map((c) => [c.name, c.score])).toEqual(expected);
  });

  it('answers what rankCandidates answers, name by name', () => {
    const probes = [
      ...demoCustomers.map((c) => c.name),
      ...directory.map((c) => c.name),
      'Company 1',
      'Cedar',
    ];
    for (const name of probes) expect(match(name), name).toEqual(rankCandidates(name, directory, 3));
  });
});
