// The emulated Pax8's usage in arrears (reference §1.6), read through the real client on a moving clock: usage
// lines, usage summaries and the invoices' 'Arrears' items agree to the cent, and a month is closed (on an
// invoice) only once the clock passes the 4th of the next month.
import { describe, expect, it } from 'vitest';
import { toCents } from '../../server/billing/money.ts';
import { createPax8Client } from '../../server/pax8/index.ts';
import { closedUsage, openUsage } from '../../server/pax8/usage.ts';
import {
  createDemoPax8Data,
  createPax8Emulator,
  demoPax8Credentials,
} from '../../server/sandbox/pax8/index.ts';
import { aceSubscription } from './demo-fixtures.ts';

function wired(start: string) {
  const clock = { now: new Date(start) };
  const data = createDemoPax8Data(clock.now);
  const emulator = createPax8Emulator({ data, now: () => clock.now });
  const client = createPax8Client({
    baseURL: 'http://pax8.test/v1',
    clientId: demoPax8Credentials.clientId,
    clientSecret: demoPax8Credentials.clientSecret,
    fetch: async (input, init) => emulator.app.request(new Request(input, init)),
    now: () => clock.now,
  });
  const azure = aceSubscription(data, 'azure');
  return { client, azure, data, emulator, setNow: (at: string) => (clock.now = new Date(at)) };
}

const cents = (n: number) => toCents(n, 'amount');

describe('emulated Pax8 usage in arrears', () => {
  it('closes August, September and October on 11/25/2026, November is running', async () => {
    const { client, azure } = wired('2026-11-25T12:00:00Z');
    expect(await closedUsage(client, '2026-05-01')).toEqual([
      { subscriptionId: azure.id, month: '2026-08', partnerTotal: '259.10', currentCharges: '304.55' },
      { subscriptionId: azure.id, month: '2026-09', partnerTotal: '251.40', currentCharges: '295.50' },
      { subscriptionId: azure.id, month: '2026-10', partnerTotal: '259.10', currentCharges: '304.55' },
    ]);
    // November 1–24 posted so far: 238.00 charged, 202.48 partner total.
    expect(await openUsage(client, azure.id, '2026-11-25')).toEqual({
      subscriptionId: azure.id,
      month: '2026-11',
      partnerTotal: '202.48',
      currentCharges: '238.00',
    });
  });

  it("each closed month's invoice item is the sum of its usage lines, to the cent", async () => {
    const { client, azure } = wired('2026-11-25T12:00:00Z');
    const summaries = await client.usage.summaries(azure.id);
    const lines = (await Promise.all(summaries.map((s) => client.usage.lines(s.id)))).flat();
    const invoices = await client.invoices.all({ invoiceDateRangeStart: '2026-05-01' });
    for (const invoice of invoices) {
      const [item] = (await client.invoices.items(invoice.id)).filter((i) => i.term === 'Arrears');
      const month = item!.startPeriod!.slice(0, 7);
      const ofMonth = lines.filter((l) => l.usageDate.startsWith(month));
      expect([month, cents(item!.price!), cents(item!.cost!)]).toEqual([
        month,
        ofMonth.reduce((t, l) => t + cents(l.currentCharges!), 0),
        ofMonth.reduce((t, l) => t + cents(l.partnerTotal!), 0),
      ]);
    }
    // And the summaries total the running month's lines.
    const november = lines.filter((l) => l.usageDate.startsWith('2026-11'));
    expect(summaries.reduce((t, s) => t + cents(s.currentCharges!), 0)).toBe(
      november.reduce((t, l) => t + cents(l.currentCharges!), 0),
    );
  });

  it('closes November when the clock passes 12/04/2026, with every day of November', async () => {
    const { client, azure, setNow } = wired('2026-11-25T12:00:00Z');
    setNow('2026-12-03T12:00:00Z');
    expect((await closedUsage(client, '2026-11-01')).map((m) => m.month)).toEqual(['2026-10']);
    setNow('2026-12-04T12:00:00Z');
    expect(await closedUsage(client, '2026-12-01')).toEqual([
      { subscriptionId: azure.id, month: '2026-11', partnerTotal: '251.40', currentCharges: '295.50' },
    ]);
    const summaries = await client.usage.summaries(azure.id);
    const days = new Set(
      (await Promise.all(summaries.map((s) => client.usage.lines(s.id))))
        .flat()
        .filter((l) => l.usageDate.startsWith('2026-11'))
        .map((l) => l.usageDate),
    );
    expect(days.size).toBe(30);
  });

  it("reads an invoice's items once (an approved invoice is final), and skips a Credited invoice", async () => {
    const { client, data, emulator } = wired('2026-11-25T12:00:00Z');
    await closedUsage(client, '2026-05-01');
    const before = emulator.faults.counts.requests;
    await closedUsage(client, '2026-05-01');
    expect(emulator.faults.counts.requests - before).toBe(1); // the invoice list only
    const october = [...data.invoices.values()].find((x) => x.invoice.invoiceDate === '2026-10-04')!;
    october.invoice.status = 'Credited';
    expect((await closedUsage(client, '2026-05-01')).map((m) => m.month)).toEqual(['2026-08', '2026-10']);
  });

  it("nets a credit item into its month (Pax8's arrears items may carry a negative correction)", async () => {
    const item = (costTotal: number, subTotal: number) => ({
      term: 'Arrears',
      subscriptionId: 'sub-azure',
      startPeriod: '2026-10-01',
      costTotal,
      subTotal,
    });
    const reader = {
      usage: { summaries: async () => [] },
      invoices: {
        all: async () => [{ id: 'inv-nov', invoiceDate: '2026-11-04', status: 'Unpaid' }],
        items: async () => [item(259.1, 304.55), item(-10.05, -11.82), { ...item(5, 5), term: 'Monthly' }],
      },
    };
    expect(await closedUsage(reader, '2026-05-01')).toEqual([
      { subscriptionId: 'sub-azure', month: '2026-10', partnerTotal: '249.05', currentCharges: '292.73' },
    ]);
  });
});
