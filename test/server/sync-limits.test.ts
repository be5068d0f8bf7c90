// Sanity limits (spec §9) through the front door: one row per limit, each a 400 limit_exceeded naming the
// field and the limit, nothing planned or written; the boundary passes; the thresholds are tenant settings;
// apply re-checks the stored plan. Ace Chemical, Office 365 E3 (Pax8 quantity 2), clock 2020-09-20.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aceE3Subscription, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
let subscriptionId: string;

beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
  subscriptionId = aceE3Subscription(h.pax8.data).id;
});
afterEach(() => h.close());

const plan = (options: unknown) => h.call('POST', '/api/sync/plan', { subscriptionId, agreementId, options });

/** The prorate's change key of the guide example, for per-prorate edits. */
async function prorateKey(): Promise<string> {
  const res = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId });
  return res.json.additions.find((a: { kind: string }) => a.kind === 'prorate').changeKey;
}

const dates = '2000-01-01..2099-12-31';
const extra = { effectiveDate: '2020-10-01', quantity: 1, startMonth: '2020-10', months: 1 };

// [what, options ('*' = the prorate's change key), field, limit]
const cases: [string, Record<string, unknown>, string, unknown][] = [
  ['effective date in year 1', { effectiveDate: '0001-01-01' }, 'options.effectiveDate', dates],
  ['effective date in 1999', { effectiveDate: '1999-12-31' }, 'options.effectiveDate', dates],
  ['effective date in 2100', { effectiveDate: '2100-01-01' }, 'options.effectiveDate', dates],
  ['quantity above 100,000', { quantity: 100_001 }, 'options.quantity', 100_000],
  ['quantity of 1,000,000,000', { quantity: 1_000_000_000 }, 'options.quantity', 100_000],
  ['quantity above 10× the Pax8 quantity (2)', { quantity: 21 }, 'options.quantity', 20],
  ['unit price above 1,000,000', { unitPrice: '1000000.01' }, 'options.unitPrice', 1_000_000],
  ['unit cost above 1,000,000', { unitCost: 2_000_000 }, 'options.unitCost', 1_000_000],
  [
    'custom invoice text with a line break',
    { description: { kind: 'custom', text: 'E3 seats\nfor Ace' } },
    'options.description.text',
    'no control characters',
  ],
  [
    'a prorate edit quantity above 10× Pax8',
    { prorates: { edit: { '*': { quantity: 25 } } } },
    'options.prorates.edit.*.quantity',
    20,
  ],
  [
    'a prorate edit date in year 1',
    { prorates: { edit: { '*': { effectiveDate: '0001-01-01' } } } },
    'options.prorates.edit.*.effectiveDate',
    dates,
  ],
  [
    'a prorate edit text with a bell character',
    { prorates: { edit: { '*': { description: 'E3 \u0007 prorate' } } } },
    'options.prorates.edit.*.description',
    'no control characters',
  ],
  [
    'extra months starting in 1999',
    { extraMonths: { ...extra, startMonth: '1999-12' } },
    'options.extraMonths.startMonth',
    dates,
  ],
  [
    'extra months unit price above 1,000,000',
    { extraMonths: { ...extra, unitPrice: '1500000' } },
    'options.extraMonths.unitPrice',
    1_000_000,
  ],
];

describe('a plan beyond a sanity limit is a 400 limit_exceeded, and nothing is written', () => {
  it.each(cases)('%s', async (_what, options, field, limit) => {
    const key = await prorateKey();
    const withKey = (text: string) => text.replace('*', key);
    const res = await plan(JSON.parse(withKey(JSON.stringify(options))));
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.error.code).toBe('limit_exceeded');
    expect(res.json.error.details).toMatchObject({ field: withKey(field), limit });
    expect(res.json.error.message).toContain(withKey(field));
    expect(h.cw.faults.counts.writes).toBe(0);
  });

  it('the boundaries pass: 20 seats (10× Pax8), a unit price of 1,000,000, an effective date in December 2099', async () => {
    for (const options of [
      { quantity: 20 },
      { unitPrice: '1000000' },
      // June 2020: a month the subscription had that is older than the default back-bill's 3 months (a month
      // before it started, e.g. 2000-01, is refused by the never-twice rule instead).
      { extraMonths: { ...extra, effectiveDate: '2099-12-01', startMonth: '2020-06' } },
    ]) {
      const res = await plan(options);
      expect(res.status, `${JSON.stringify(options)}: ${JSON.stringify(res.json)}`).toBe(200);
    }
  });
});

describe('the thresholds are tenant settings', () => {
  it('raising maxQuantityMultiple to 20 lets 21 seats through; lowering maxUnitPrice refuses 30.00', async () => {
    const patched = await h.call('PATCH', '/api/setup/settings', {
      maxQuantityMultiple: 20,
      maxUnitPrice: 29,
    });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    expect(patched.json).toMatchObject({ maxQuantity: 100_000, maxQuantityMultiple: 20, maxUnitPrice: 29 });
    expect((await plan({ quantity: 21, unitPrice: '25' })).status).toBe(200);
    const refused = await plan({ unitPrice: '30' });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toEqual({ field: 'options.unitPrice', limit: 29, value: '30' });
  });

  it.each([
    [{ maxQuantity: 0 }, 'maxQuantity', 'must be at least 1'],
    [{ maxQuantityMultiple: 2.5 }, 'maxQuantityMultiple', 'must be a whole number'],
    [{ maxUnitPrice: '1000' }, 'maxUnitPrice', 'must be a whole number'],
  ])('a bad limit %j is a 400 naming %s', async (body, path, message) => {
    const res = await h.call('PATCH', '/api/setup/settings', body);
    expect(res.status).toBe(400);
    expect(res.json.error.details).toContainEqual({ path, message });
  });
});

describe('apply re-checks the stored plan', () => {
  it('a plan made before the limit was lowered: 400 limit_exceeded naming the addition, nothing written', async () => {
    const ok = await plan({ quantity: 20 });
    expect(ok.status).toBe(200);
    await h.call('PATCH', '/api/setup/settings', { maxQuantity: 10 });
    const res = await h.call('POST', '/api/sync/apply', { planId: ok.json.planId });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.error.code).toBe('limit_exceeded');
    expect(res.json.error.details).toEqual({ field: 'additions[0].quantity', limit: 10, value: 20 });
    expect(h.cw.faults.counts.writes).toBe(0);
  });

  it('effectiveDate 0001-01-01 in a stored plan (made before the limits existed) is a 400, not a 500', async () => {
    const ok = await plan({});
    const stored = await h.store.db
      .selectFrom('plans')
      .select('body')
      .where('id', '=', ok.json.planId)
      .executeTakeFirstOrThrow();
    await h.store.db
      .updateTable('plans')
      .set({ body: stored.body.replaceAll('"2020-10-01"', '"0001-01-01"') })
      .where('id', '=', ok.json.planId)
      .execute();
    const res = await h.call('POST', '/api/sync/apply', { planId: ok.json.planId });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.error).toMatchObject({
      code: 'limit_exceeded',
      details: { field: 'additions[0].effectiveDate', limit: dates, value: '0001-01-01' },
    });
    expect(h.cw.faults.counts.writes).toBe(0);
  });
});
