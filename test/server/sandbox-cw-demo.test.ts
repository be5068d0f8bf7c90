// The CW demo data: deterministic, built from the shared demo MSP, with the facts the pod's demo relies on.
import { describe, expect, it } from 'vitest';
import { createDemoCwData, generateLargeCwData } from '../../server/sandbox/cw/index.ts';
import { fixedNow, setup } from './sandbox-cw-helpers.ts';

describe('CW demo data', () => {
  it('is the same for the same clock', () => {
    const a = createDemoCwData({ now: fixedNow });
    const b = createDemoCwData({ now: fixedNow });
    expect([...a.tables.additions.rows.values()]).toEqual([...b.tables.additions.rows.values()]);
    expect([...a.tables.contacts.rows.values()]).toEqual([...b.tables.contacts.rows.values()]);
  });

  it('holds the 30 customers, the Pax8 catalog items and 40+ agreements in three states', () => {
    const { tables } = createDemoCwData({ now: fixedNow });
    expect(tables.companies.rows.size).toBe(30);
    expect(tables.companies.rows.get(250)?.name).toBe('Ace Chemical Processing Plant');
    // 48 + 'Gibson Annual' (billing cycle Annual: the recurring alternative of spec §5, issue 10).
    expect(tables.agreements.rows.size).toBe(49);
    const byStatus = new Map<string, number>();
    for (const a of tables.agreements.rows.values()) {
      const s = String(a.agreementStatus);
      byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
    }
    expect(Object.fromEntries(byStatus)).toEqual({ Active: 37, Cancelled: 8, Expired: 4 });
    const pax8 = [...tables.catalog.rows.values()]
      .filter((r) => String(r.description).startsWith('Pax8 - '))
      .map((r) => [r.id, r.identifier, r.description]);
    expect(pax8).toEqual([
      [682, 'MST-OFC-EE3-C100', 'Pax8 - Office 365 Enterprise E3'],
      [683, 'MST-OFB-BES-C100', 'Pax8 - Office 365 Business Essentials'],
      [684, 'MST-M365-BP-C100', 'Pax8 - Microsoft 365 Business Premium'],
      [685, 'MST-M365-BB-C100', 'Pax8 - Microsoft 365 Business Basic'],
      [686, 'DRS-BBA-C100', 'Pax8 - Dropsuite Business Backup + Email Archiving'],
      // Azure (usage billed in arrears, issue 10) is bound, so the demo syncs its closed months.
      [687, 'MST-AZR-PLN-C100', 'Pax8 - Microsoft Azure Plan'],
    ]);
  });

  it('bills some agreements the 1st of next month and some a month later', async () => {
    const { call } = setup();
    const next = await call(
      'GET',
      '/finance/agreements/count?conditions=nextInvoiceDate = [2026-04-01T00:00:00Z]',
    );
    const ahead = await call(
      'GET',
      '/finance/agreements/count?conditions=nextInvoiceDate = [2026-05-01T00:00:00Z]',
    );
    expect([next.json.count, ahead.json.count]).toEqual([21, 16]);
  });

  it('gives Ace Monthly no Office 365 E3 addition', async () => {
    const { call } = setup();
    const [ace] = (await call('GET', '/finance/agreements?conditions=name="Ace Monthly"')).json;
    expect(ace.agreementStatus).toBe('Active');
    const e3 = await call('GET', `/finance/agreements/${ace.id}/additions/count?conditions=product/id = 682`);
    expect(e3.json).toEqual({ count: 0 });
  });

  it('generates a large data set of the requested size', () => {
    const data = generateLargeCwData({ companies: 50, additions: 400 });
    expect([
      data.tables.companies.rows.size,
      data.tables.agreements.rows.size,
      data.tables.additions.rows.size,
    ]).toEqual([50, 50, 400]);
  });
});
