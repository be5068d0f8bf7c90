// The board's additions walk asks ConnectWise only for the fields the judgement reads, and reads the partial records.
import { describe, expect, it } from 'vitest';
import { toAddition } from '../../server/connectwise/sync-adapter.ts';
import { testClient } from './connectwise-fakes.ts';

describe('additions.judged', () => {
  it('sends fields= with the judged paths and turns the partial record into the same sync addition', async () => {
    const urls: string[] = [];
    const { client } = testClient(async (input) => {
      urls.push(input instanceof Request ? input.url : String(input));
      const partial = {
        id: 7,
        product: { id: 42 },
        quantity: 3,
        unitPrice: 12.5,
        unitCost: 9.75,
        effectiveDate: '2020-09-01T00:00:00Z',
        cancelledDate: null,
        billCustomer: 'Billable',
        invoiceDescription: 'Office E3 Sep',
        description: 'Office E3',
        taxableFlag: true,
        _info: { lastUpdated: '2020-09-02T10:00:00Z' },
      };
      return Response.json([partial]);
    });
    const rows = await client.additions.judged(5);
    const url = new URL(urls[0] ?? '');
    expect(url.pathname).toBe('/v4_6_release/apis/3.0/finance/agreements/5/additions');
    expect(url.searchParams.get('fields')).toBe(
      'id,agreementId,product/id,billCustomer,quantity,unitPrice,unitCost,effectiveDate,cancelledDate,description,invoiceDescription,taxableFlag,_info/lastUpdated',
    );
    expect(rows.map((a) => toAddition(a, 5))).toEqual([
      {
        id: 7,
        agreementId: 5,
        catalogId: 42,
        quantity: 3,
        unitPrice: 12.5,
        unitCost: 9.75,
        effectiveDate: '2020-09-01',
        cancelledDate: null,
        invoiceDescription: 'Office E3 Sep',
        billCustomer: 'Billable',
        taxable: true,
        updatedAt: '2020-09-02T10:00:00Z',
        description: 'Office E3',
        marker: null,
      },
    ]);
  });
});
