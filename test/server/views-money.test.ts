// The view's money (spec §8) through the front door: what ConnectWise will bill against what it should, per
// month and in words, judged from ConnectWise's additions and our markers, not from the journal. The guide's
// E3 at Ace (2 seats at 25.00, 1 → 2 on 09/09/2020), viewed on 09/20/2020: October is the first un-invoiced month.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCwInvoicing } from '../../server/sandbox/cw/invoice-run.ts';
import { ace, aceSubscription, endCloudDropsuite, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
const e3Id = () => aceSubscription(h.pax8.data, 'o365e3').id;
type Money = {
  firstUninvoicedMonth: string;
  months: { month: string; will: number; should: number }[];
  message: string;
};
type Row = {
  subscription: { id: string };
  status: string;
  action: string;
  money: Money;
  fixAdditionIds: number[];
  matchedBy: string | null;
};

async function view(path = `/api/views/agreement/${agreementId}`) {
  const res = await h.call('GET', path);
  expect(res.status).toBe(200);
  return res.json as { rows: Row[]; ghosts: { addition: { id: number }; reason: string }[] };
}
const e3Row = async (path?: string) => (await view(path)).rows.find((r) => r.subscription.id === e3Id());
const figures = (m: Money) => m.months.map((x) => [x.month, x.will, x.should]);

async function syncE3() {
  const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: e3Id(), agreementId });
  const applied = await h.call('POST', '/api/sync/apply', { planId: plan.json.planId });
  expect(applied.status).toBe(200);
}
const e3Additions = () => h.additionsOf(agreementId).filter((a) => (a.product as { id: number }).id === 682);

beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
});
afterEach(() => h.close());

describe('the money on a view row', () => {
  it('before any sync: $50.00/mo not billed', async () => {
    const row = await e3Row();
    expect(row).toMatchObject({ status: 'not_on_agreement', action: 'sync' });
    expect(figures(row!.money)).toEqual([
      ['2020-10', 0, 5000],
      ['2020-11', 0, 5000],
      ['2020-12', 0, 5000],
    ]);
    expect(row?.money.message).toBe(
      'ConnectWise will bill $0.00/mo, should bill $50.00/mo: $50.00/mo not billed.',
    );
  });

  // October: the recurring 2 × 25.00, the prorate 17.50 and the back-bill of July–September 75.00 (spec §7).
  it('after the sync: synced, the prorate and the back-bill in October, from the additions and their markers', async () => {
    await syncE3();
    const row = await e3Row();
    expect(row).toMatchObject({ status: 'synced', action: 'none', matchedBy: 'marker' });
    // October: the recurring 50.00, the prorate 17.50 and the back-bill of Jul-Sep 75.00 (spec §7).
    expect(figures(row!.money)).toEqual([
      ['2020-10', 14250, 14250],
      ['2020-11', 5000, 5000],
      ['2020-12', 5000, 5000],
    ]);
    expect(row?.money.message).toBe(
      'ConnectWise will bill $142.50 in October 2020, then $50.00/mo, as it should.',
    );
  });

  it('a lost journal changes nothing: ConnectWise still carries the marked additions', async () => {
    await syncE3();
    await h.store.db.deleteFrom('sync_journal').execute();
    expect((await e3Row())?.status).toBe('synced');
  });

  it('the recurring line copied by hand with its marker: duplicate, $50.00/mo billed too much', async () => {
    await syncE3();
    const recurring = e3Additions().find((a) => a.cancelledDate == null)!;
    const { id: _id, ...fields } = recurring;
    const copy = h.cw.data.insert('additions', { ...fields, effectiveDate: '2020-09-01T00:00:00Z' });
    const row = await e3Row();
    expect(row).toMatchObject({ status: 'duplicate', action: 'cancel_addition', fixAdditionIds: [copy.id] });
    expect(row?.money.message).toBe(
      'In October 2020 ConnectWise will bill $192.50, should bill $142.50: $50.00 billed too much.',
    );
  });

  it('the marker on another agreement of the company: double billed, in the company view', async () => {
    await syncE3();
    const other = h.agreementNamed('Ace Cloud Services');
    const recurring = e3Additions().find((a) => a.cancelledDate == null)!;
    const { id: _id, ...fields } = recurring;
    const copy = h.cw.data.insert('additions', { ...fields, agreementId: other.id });
    const row = await e3Row(`/api/views/company/${ace.cwId}`);
    expect(row).toMatchObject({
      status: 'double_billed',
      action: 'cancel_addition',
      fixAdditionIds: [copy.id],
    });
    expect(figures(row!.money)[1]).toEqual(['2020-11', 10000, 5000]);
  });

  it('what the judgement says ConnectWise will bill is what the emulated ConnectWise invoices, month by month', async () => {
    await syncE3();
    const judged = (await e3Row())!.money.months;
    const invoicing = createCwInvoicing(h.cw.data);
    invoicing.runThrough('2020-12-01');
    const e3Ids = new Set(e3Additions().map((a) => a.id));
    const invoiced = invoicing
      .list(agreementId)
      .map((invoice) => [
        invoice.periodStart.slice(0, 7),
        invoice.lines
          .filter((l) => e3Ids.has(l.additionId))
          .reduce((sum, l) => sum + Math.round(Number(l.amount) * 100), 0),
      ]);
    expect(invoiced).toEqual(judged.map((m) => [m.month, m.will]));
    // October: 2 × 25.00, the prorate 17.50 and the back-bill of July–September 75.00 (spec §7).
    expect(invoiced).toEqual([
      ['2020-10', 14250],
      ['2020-11', 5000],
      ['2020-12', 5000],
    ]);
    // Invoiced through December: January is the first un-invoiced month, and E3 is still synced.
    h.setNow(new Date('2020-12-02T12:00:00Z'));
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`, undefined, {
      token: await h.tokenFor(h.tenant.id),
    });
    const after = (res.json.rows as Row[]).find((r) => r.subscription.id === e3Id());
    expect(after?.status).toBe('synced');
    expect(after?.money.firstUninvoicedMonth).toBe('2021-01');
  });

  it('Adopt: a line written by hand with the right figures gets our marker, and the row reads synced', async () => {
    const dropsuite = aceSubscription(h.pax8.data, 'dropsuite').id;
    endCloudDropsuite(h); // billed on Ace Monthly alone (else double_billed: see the test below)
    const line = h.additionsOf(agreementId).find((a) => (a.product as { id: number }).id === 686)!;
    Object.assign(line, { quantity: 2, unitPrice: 4, unitCost: 2.5 });
    const rowOf = async () => (await view()).rows.find((r) => r.subscription.id === dropsuite);
    expect(await rowOf()).toMatchObject({
      status: 'written_by_hand',
      action: 'adopt',
      fixAdditionIds: [line.id],
    });
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: dropsuite, agreementId });
    expect(plan.json.additions.filter((a: { kind: string }) => a.kind === 'recurring')).toMatchObject([
      { action: 'update', quantity: 2, unitPrice: '4.00', additionId: line.id },
    ]);
    expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);
    const adopted = h.additionsOf(agreementId).find((a) => a.id === line.id)!;
    expect(String(adopted.description)).toContain(`[pax8:${dropsuite}:recurring:`);
    expect(adopted.quantity).toBe(2);
    expect(await rowOf()).toMatchObject({ status: 'synced', action: 'none', matchedBy: 'marker' });
  });
});

// QA D1: the demo bills Dropsuite on Ace Monthly (2 × $4) and by hand on Ace Cloud Services (6 × $4).
describe('one subscription on two agreements of the company (spec §7, §8)', () => {
  const dropsuite = () => aceSubscription(h.pax8.data, 'dropsuite').id;
  const cloudLine = () =>
    h
      .additionsOf(h.agreementNamed('Ace Cloud Services').id)
      .find((a) => (a.product as { id: number }).id === 686)!;
  const rowIn = async (path: string) =>
    (await view(path)).rows.find((r) => r.subscription.id === dropsuite());

  it('the agreement view says double billed, as the company view does, with the money and the fix', async () => {
    const line = h.additionsOf(agreementId).find((a) => (a.product as { id: number }).id === 686)!;
    Object.assign(line, { quantity: 2, unitPrice: 4, unitCost: 2.5 });
    Object.assign(cloudLine(), { quantity: 6, unitPrice: 4 });
    const expected = { status: 'double_billed', action: 'cancel_addition', fixAdditionIds: [cloudLine().id] };
    const here = await rowIn(`/api/views/agreement/${agreementId}`);
    expect(here).toMatchObject(expected);
    // 2 × $4 should be billed; ConnectWise bills 2 × $4 here and 6 × $4 on Ace Cloud Services.
    expect(figures(here!.money)[1]).toEqual(['2020-11', 3200, 800]);
    expect(here?.money.message).toContain('$24.00/mo billed too much');
    expect(await rowIn(`/api/views/company/${ace.cwId}`)).toMatchObject(expected);
  });

  it("neither line matches Pax8's seats: this agreement's line is the one kept, the other one is to cancel", async () => {
    const line = h.additionsOf(agreementId).find((a) => (a.product as { id: number }).id === 686)!;
    Object.assign(line, { quantity: 16 });
    Object.assign(cloudLine(), { quantity: 6, effectiveDate: '2020-09-01T00:00:00Z' });
    const here = (await view()).rows.find((r) => r.subscription.id === dropsuite()) as Row & {
      agreementId: number;
      addition: { id: number };
    };
    expect(here).toMatchObject({ status: 'double_billed', agreementId, addition: { id: line.id } });
    expect(here.fixAdditionIds).toEqual([cloudLine().id]);
  });

  it('planning it on the second agreement is refused while the first bills it by marker', async () => {
    const cloud = h.agreementNamed('Ace Cloud Services').id;
    Object.assign(cloudLine(), { cancelledDate: '2020-09-01T00:00:00Z' });
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: dropsuite(), agreementId });
    expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);
    const marked = h
      .additionsOf(agreementId)
      .find((a) => String(a.description).includes(`[pax8:${dropsuite()}:recurring:`))!;
    const refused = await h.call('POST', '/api/sync/plan', {
      subscriptionId: dropsuite(),
      agreementId: cloud,
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('billed_on_other_agreement');
    expect(refused.json.error.message).toContain('Ace Monthly');
    expect(refused.json.error.message).toContain(`addition ${marked.id}`);
    // On the agreement that bills it, planning still works.
    expect(
      (await h.call('POST', '/api/sync/plan', { subscriptionId: dropsuite(), agreementId })).status,
    ).toBe(200);
  });
});

describe('a price chosen in the wizard (spec §7: price overrides last)', () => {
  // E3 synced at 30.00 instead of Pax8's 25.00: the pod and the audit judge against the remembered 30.00, so the
  // row is synced (not "price differs") and the recurring money is 2 × 30.00.
  it('is what the pod and the audit judge against, not Pax8 price', async () => {
    const plan = await h.call('POST', '/api/sync/plan', {
      subscriptionId: e3Id(),
      agreementId,
      options: { unitPrice: '30' },
    });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    const applied = await h.call('POST', '/api/sync/apply', { planId: plan.json.planId });
    expect(applied.status).toBe(200);
    const row = await e3Row();
    expect(row).toMatchObject({ status: 'synced', action: 'none' });
    expect(figures(row!.money).slice(1)).toEqual([
      ['2020-11', 6000, 6000],
      ['2020-12', 6000, 6000],
    ]);
    const audit = await h.call('GET', '/api/audit/unsynced');
    expect(audit.status).toBe(200);
    const listed = (audit.json.nonArrears as { subscription: { id: string } }[]).some(
      (r) => r.subscription.id === e3Id(),
    );
    expect(listed).toBe(false);
  });
});
