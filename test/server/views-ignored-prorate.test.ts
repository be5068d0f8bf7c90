// Issue 9, the wizard list: "ignoring a prorate leaves the row ✓ Synced". The guide's E3 at Ace (1 → 2 on
// 09/09/2020) synced on 09/20/2020 with the 17.50 prorate ignored in apply: the row says the prorate is owed,
// with its amount, until a later sync writes it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aceSubscription, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
const e3Id = () => aceSubscription(h.pax8.data, 'o365e3').id;
type Write = {
  key: string;
  kind: string;
  action: string;
  quantity: number;
  unitPrice: string;
  changeKey?: string;
};
type Row = {
  subscription: { id: string };
  status: string;
  action: string;
  money: { months: { month: string; will: number; should: number }[]; message: string };
};

const e3Row = async () => {
  const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
  expect(res.status).toBe(200);
  return (res.json.rows as Row[]).find((r) => r.subscription.id === e3Id())!;
};
const plan = async () => {
  const res = await h.call('POST', '/api/sync/plan', { subscriptionId: e3Id(), agreementId });
  expect(res.status).toBe(200);
  return res.json as { planId: string; additions: Write[] };
};
/** The prorate of the 09/09 change: 1 seat × 17.50 (the guide's figure), not the back-bill. */
const prorateOf = (writes: Write[]) =>
  writes.find((w) => w.kind === 'prorate' && w.action === 'create' && w.unitPrice === '17.50')!;

beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
});
afterEach(() => h.close());

describe('a prorate ignored in apply', () => {
  it('leaves the row owing it, with its amount, until a later sync writes it', async () => {
    const first = await plan();
    const prorate = prorateOf(first.additions);
    expect(prorate).toMatchObject({ quantity: 1, unitPrice: '17.50' });
    const applied = await h.call('POST', '/api/sync/apply', { planId: first.planId, ignore: [prorate.key] });
    expect(applied.status).toBe(200);
    expect(applied.json.skipped).toContainEqual({ key: prorate.key, reason: 'ignored' });

    const row = await e3Row();
    expect(row).toMatchObject({ status: 'prorate_pending', action: 'sync' });
    // October: the recurring 50.00 and the back-bill 75.00 are written; the prorate 17.50 is not.
    expect(row.money.months[0]).toEqual({ month: '2020-10', will: 12500, should: 14250 });
    expect(row.money.message).toContain('$17.50 not billed');
    expect(row.money.message).toContain(
      'A prorate of $17.50 was ignored at the last sync and is not written.',
    );

    // The next sync proposes it again; once written, the row is synced.
    const again = await plan();
    const next = prorateOf(again.additions);
    expect(next).toMatchObject({ quantity: 1, unitPrice: '17.50' });
    expect((await h.call('POST', '/api/sync/apply', { planId: again.planId })).status).toBe(200);
    const after = await e3Row();
    expect(after.status).toBe('synced');
    expect(after.money.months[0]).toEqual({ month: '2020-10', will: 14250, should: 14250 });
  });
});

// Spec §8: "synced" also means no back-bill line is pending. The back-bill of July–September (1 seat × 3 months
// × 25.00 = 75.00) ignored in apply is owed like an ignored prorate, not "✓ Synced".
describe('a back-bill line ignored in apply', () => {
  const backBillOf = (writes: Write[]) => writes.find((w) => w.key.startsWith('backbill:'))!;

  it('leaves the row owing it, with its amount, until a later sync writes it', async () => {
    const first = await plan();
    const backBill = backBillOf(first.additions);
    expect(backBill).toMatchObject({ kind: 'extra', action: 'create', quantity: 1, unitPrice: '75.00' });
    const applied = await h.call('POST', '/api/sync/apply', { planId: first.planId, ignore: [backBill.key] });
    expect(applied.status).toBe(200);
    expect(applied.json.skipped).toContainEqual({ key: backBill.key, reason: 'ignored' });

    const row = await e3Row();
    expect(row).toMatchObject({ status: 'prorate_pending', action: 'sync' });
    // October: the recurring 50.00 and the prorate 17.50 are written; the back-bill 75.00 is not.
    expect(row.money.months[0]).toEqual({ month: '2020-10', will: 6750, should: 14250 });
    expect(row.money.message).toContain('$75.00 not billed');
    expect(row.money.message).toContain(
      'A back-bill of $75.00 was ignored at the last sync and is not written.',
    );

    const again = await plan();
    expect(backBillOf(again.additions)).toMatchObject({ key: backBill.key, unitPrice: '75.00' });
    expect((await h.call('POST', '/api/sync/apply', { planId: again.planId })).status).toBe(200);
    const after = await e3Row();
    expect(after.status).toBe('synced');
    expect(after.money.months[0]).toEqual({ month: '2020-10', will: 14250, should: 14250 });
  });
});

// Spec §8: every screen uses the one judgement. The audit read the same ConnectWise additions but not the
// ignored lines, so the E3 with its 17.50 prorate ignored was counted synced there while the view said owed.
describe('the audit reads an ignored line as the view does', () => {
  type AuditRow = { subscription: { id: string }; reason: string; money?: Row['money'] };
  const auditRow = async () => {
    const res = await h.call('GET', '/api/audit/unsynced?limit=1000');
    expect(res.status).toBe(200);
    return (res.json.nonArrears as AuditRow[]).find((r) => r.subscription.id === e3Id());
  };

  it('an ignored prorate: prorate_pending with its 17.50 in October, not synced', async () => {
    const first = await plan();
    const prorate = prorateOf(first.additions);
    const applied = await h.call('POST', '/api/sync/apply', { planId: first.planId, ignore: [prorate.key] });
    expect(applied.status).toBe(200);
    const row = await auditRow();
    expect(row?.reason).toBe('prorate_pending');
    expect(row?.money?.months[0]).toEqual({ month: '2020-10', will: 12500, should: 14250 });
    expect(row?.money?.message).toContain(
      'A prorate of $17.50 was ignored at the last sync and is not written.',
    );

    const again = await plan();
    expect((await h.call('POST', '/api/sync/apply', { planId: again.planId })).status).toBe(200);
    expect(await auditRow()).toBeUndefined();
  });
});
