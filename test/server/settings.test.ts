// PATCH /api/setup/settings through the front door: saved and read back, strict input, audit before/after,
// only ever the session's own tenant, and the next plan really uses the new defaults.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  demoCustomers,
  demoProducts,
  pax8CompanyIdOf,
  pax8ProductIdOf,
} from '../../server/sandbox/demo/msp.ts';
import { defaultLimits } from '../../server/sync/limits.ts';

/**
 * The tenant settings beyond the three switches, at their defaults: the sanity limits, the look-back, and (issue
 * 10 upkeep) the bill option and taxable of new lines whose product binding names none.
 */
const limits = {
  ...defaultLimits,
  lookbackMonths: 3,
  defaultBillCustomer: 'Billable',
  defaultTaxable: 'catalog',
};

import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: new Date('2020-09-20T12:00:00Z') });
});
afterEach(() => h.close());

const patch = (body: unknown, token?: string) =>
  h.call('PATCH', '/api/setup/settings', body, token === undefined ? {} : { token });

describe('PATCH /api/setup/settings saves what is sent and keeps the rest', () => {
  it.each([
    [{}, { threshold: true, countChangeDay: false, updateOrCreate: 'update', ...limits }],
    [{ threshold: false }, { threshold: false, countChangeDay: false, updateOrCreate: 'update', ...limits }],
    [
      { lookbackMonths: 6 },
      { threshold: true, countChangeDay: false, updateOrCreate: 'update', ...limits, lookbackMonths: 6 },
    ],
    [
      { defaultBillCustomer: 'DoNotBill', defaultTaxable: 'no' },
      {
        threshold: true,
        countChangeDay: false,
        updateOrCreate: 'update',
        ...limits,
        defaultBillCustomer: 'DoNotBill',
        defaultTaxable: 'no',
      },
    ],
    [
      { countChangeDay: true },
      { threshold: true, countChangeDay: true, updateOrCreate: 'update', ...limits },
    ],
    [
      { updateOrCreate: 'create', ...limits },
      { threshold: true, countChangeDay: false, updateOrCreate: 'create', ...limits },
    ],
    [
      { threshold: false, countChangeDay: true, updateOrCreate: 'create', ...limits },
      { threshold: false, countChangeDay: true, updateOrCreate: 'create', ...limits },
    ],
  ])('%j → %j, and GET /api/setup reads it back', async (body, expected) => {
    const res = await patch(body);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toEqual(expected);
    const view = await h.call('GET', '/api/setup');
    expect(view.json.settings).toEqual(expected);
  });

  it('two patches in a row merge (the second does not reset the first)', async () => {
    await patch({ threshold: false });
    const res = await patch({ updateOrCreate: 'create', ...limits });
    expect(res.json).toEqual({
      threshold: false,
      countChangeDay: false,
      updateOrCreate: 'create',
      ...limits,
    });
  });
});

describe('bad input is a 400 that names the field, and nothing changes', () => {
  it.each([
    [{ threshold: 'no' }, 'threshold', 'must be true or false'],
    [{ threshold: 0 }, 'threshold', 'must be true or false'],
    [{ countChangeDay: null }, 'countChangeDay', 'must be true or false'],
    [{ updateOrCreate: 'replace' }, 'updateOrCreate', "must be 'update' or 'create'"],
    [{ lookbackMonths: 2.5 }, 'lookbackMonths', 'must be a whole number from 0 to 24'],
    [{ lookbackMonths: 25 }, 'lookbackMonths', 'must be a whole number from 0 to 24'],
    [{ lookbackMonths: '3' }, 'lookbackMonths', 'must be a whole number from 0 to 24'],
    [{ defaultBillCustomer: 'Free' }, 'defaultBillCustomer', "must be 'Billable', 'DoNotBill' or 'NoCharge'"],
    [{ defaultTaxable: true }, 'defaultTaxable', "must be 'catalog', 'yes' or 'no'"],
    [{ treshold: false }, 'treshold', 'Invalid key: Expected never but received "treshold"'],
    [{ tenantId: 'someone-else' }, 'tenantId', 'Invalid key: Expected never but received "tenantId"'],
  ])('%j → %s: %s', async (body, path, message) => {
    const res = await patch(body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('bad_request');
    expect(res.json.error.details).toContainEqual({ path, message });
    const view = await h.call('GET', '/api/setup');
    expect(view.json.settings).toEqual({
      threshold: true,
      countChangeDay: false,
      updateOrCreate: 'update',
      ...limits,
    });
  });

  it.each([
    ['not JSON', '{threshold:', 'Request body must be JSON'],
    ['an array', '[]', 'Invalid request body: (root): must be a JSON object'],
    ['a string', '"threshold"', 'Invalid request body: (root): must be a JSON object'],
    ['null', 'null', 'Invalid request body: (root): must be a JSON object'],
  ])('%s → 400: %s', async (_, raw, message) => {
    const res = await h.call('PATCH', '/api/setup/settings', undefined, { raw });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(message);
  });
});

describe('who may change the settings', () => {
  it('without a session: 401', async () => {
    const res = await h.app.request('http://pod.test/api/setup/settings', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ threshold: false }),
    });
    expect(res.status).toBe(401);
  });

  it("another tenant's session changes only its own tenant, never this one", async () => {
    const other = await h.addTenant('Contoso', 'other.test');
    const res = await patch({ threshold: false }, await h.tokenFor(other.id, 'mallory'));
    expect(res.status).toBe(200);
    expect((await h.repos.tenants.get(other.id))?.settings.threshold).toBe(false);
    expect((await h.repos.tenants.get(h.tenant.id))?.settings.threshold).toBe(true);
    expect(await h.repos.audit.list(h.tenant.id)).toEqual([]);
  });
});

describe('audit', () => {
  it('records who changed what, with before and after', async () => {
    await patch({ threshold: false, updateOrCreate: 'create', ...limits });
    const entries = await h.repos.audit.list(h.tenant.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: 'jsmith',
      action: 'tenant.settings.updated',
      target: `tenant:${h.tenant.id}`,
      before: { threshold: true, countChangeDay: false, updateOrCreate: 'update', ...limits },
      after: { threshold: false, countChangeDay: false, updateOrCreate: 'create', ...limits },
    });
  });
});

describe('a plan made after the change uses the new defaults', () => {
  const ace = demoCustomers.find((c) => c.identifier === 'AceChemical')!;
  const e3 = demoProducts.find((p) => p.key === 'o365e3')!;

  /** The spec's churn example: billed 10 on the 1st, 8 on the 5th, 12 on the 10th. */
  async function churnPlan(options?: unknown) {
    const sub = h.pax8.data.addSubscription({
      companyId: pax8CompanyIdOf(ace)!,
      productId: pax8ProductIdOf(e3),
      price: 25,
      partnerCost: 20,
      history: [
        { date: '2020-08-01', quantity: 10 },
        { date: '2020-09-05', quantity: 8 },
        { date: '2020-09-10', quantity: 12 },
      ],
    });
    const res = await h.call('POST', '/api/sync/plan', {
      subscriptionId: sub.id,
      agreementId: h.agreementNamed('Ace Monthly').id,
      ...(options ? { options } : {}),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const rows = res.json.prorates as { changeKey: string; quantityIncrease: number }[];
    return rows.find((r) => r.changeKey === '2020-09-10#1')?.quantityIncrease;
  }

  it.each([
    [{}, undefined, 2],
    [{ threshold: false }, undefined, 4],
    [{ threshold: false }, { threshold: true }, 2],
    [{ threshold: true }, { threshold: false }, 4],
  ])('settings %j, wizard options %j → the 10th prorates %i seats', async (settings, options, seats) => {
    expect((await patch(settings)).status).toBe(200);
    expect(await churnPlan(options)).toBe(seats);
  });

  it.each([
    [{}, ['2020-07', '2020-09']],
    [{ lookbackMonths: 1 }, ['2020-09', '2020-09']],
    [{ lookbackMonths: 0 }, undefined],
  ])('settings %j → the back-bill line of a never-billed seat covers %j', async (settings, span) => {
    expect((await patch(settings)).status).toBe(200);
    const sub = [...h.pax8.data.subscriptions.values()].find(
      (s) => s.current.companyId === pax8CompanyIdOf(ace) && s.current.productId === pax8ProductIdOf(e3),
    )!;
    const res = await h.call('POST', '/api/sync/plan', {
      subscriptionId: sub.current.id,
      agreementId: h.agreementNamed('Ace Monthly').id,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const extra = (res.json.additions as { kind: string; period?: { start: string; end: string } }[]).find(
      (a) => a.kind === 'extra',
    );
    expect(extra?.period && [extra.period.start.slice(0, 7), extra.period.end.slice(0, 7)]).toEqual(span);
    // What the look-back leaves out is a warning with its amount, never dropped.
    expect(res.json.warnings.find((w: { code: string }) => w.code === 'beyond_lookback')?.amount).toMatch(
      /^\d+\.\d\d$/,
    );
  });

  describe("updateOrCreate 'create'", () => {
    async function aceE3Plan() {
      const sub = [...h.pax8.data.subscriptions.values()].find(
        (s) => s.current.companyId === pax8CompanyIdOf(ace) && s.current.productId === pax8ProductIdOf(e3),
      )!;
      const agreementId = h.agreementNamed('Ace Monthly').id;
      const plan = async (token?: string) => {
        const res = await h.call(
          'POST',
          '/api/sync/plan',
          { subscriptionId: sub.current.id, agreementId },
          token ? { token } : {},
        );
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        return res.json as {
          planId: string;
          additions: { kind: string; action: string; effectiveDate: string; cancelledDate: string | null }[];
          warnings: { code: string }[];
        };
      };
      await h.call('POST', '/api/sync/apply', { planId: (await plan()).planId }); // recurring from 2020-10-01
      return { sub, plan };
    }

    it('after a later quantity change, cancels the addition the day before and creates a new one', async () => {
      const { sub, plan } = await aceE3Plan();
      expect((await patch({ updateOrCreate: 'create', ...limits })).status).toBe(200);
      h.setNow(new Date('2020-10-20T12:00:00Z'));
      h.pax8.data.changeQuantity(sub.current.id, 4, '2020-10-15');
      const p = await plan(await h.tokenFor(h.tenant.id)); // a month later: a fresh session
      expect(
        p.additions
          .filter((a) => a.kind === 'recurring')
          .map((a) => [a.action, a.effectiveDate, a.cancelledDate]),
      ).toEqual([
        ['cancel', '2020-10-01', '2020-10-31'],
        ['create', '2020-11-01', null],
      ]);
      expect(p.warnings.map((w) => w.code)).not.toContain('create_new_not_possible');
    });

    it('falls back to updating, with a warning, when the new addition could not start after the current one', async () => {
      const { sub, plan } = await aceE3Plan();
      expect((await patch({ updateOrCreate: 'create', ...limits })).status).toBe(200);
      h.pax8.data.changeQuantity(sub.current.id, 3, '2020-09-15');
      const p = await plan();
      expect(p.additions.filter((a) => a.kind === 'recurring').map((a) => a.action)).toEqual(['update']);
      expect(p.warnings.map((w) => w.code)).toContain('create_new_not_possible');
    });
  });
});
