// The audit's reads of ConnectWise's additions are bounded (one agreements walk per 100 bound companies, then
// at most 4 additions walks at a time), and its reasons come from the judgement: "never synced" only when
// ConnectWise has no line of it and we never wrote one.
import { describe, expect, it } from 'vitest';
import type { SyncAgreement } from '../../server/sync/ports.ts';
import { judgeAudit, readBoundAdditions } from '../../server/sync/unsynced-judge.ts';

const agreement = (id: number, companyId: number): SyncAgreement => ({
  id,
  name: `A${id}`,
  status: 'Active',
  company: { id: companyId, name: `C${companyId}` },
  nextInvoiceDate: '2020-10-01',
  billingCycle: 'Monthly',
});

describe('readBoundAdditions', () => {
  it('250 bound companies, 300 agreements: 3 agreements walks, 300 additions walks, never more than 4 at once', async () => {
    const walks: number[][] = [];
    let running = 0;
    let most = 0;
    const companies = Array.from({ length: 250 }, (_, i) => i + 1);
    const read = await readBoundAdditions(
      {
        activeAgreementsOf: async (ids) => {
          walks.push(ids);
          return ids.flatMap((c) =>
            c <= 50 ? [agreement(c * 10, c), agreement(c * 10 + 1, c)] : [agreement(c * 10, c)],
          );
        },
        listAdditions: async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 1));
          running--;
          return [];
        },
      },
      [...companies, 1, 2],
    );
    expect(walks.map((w) => w.length)).toEqual([100, 100, 50]);
    expect(read.agreements).toHaveLength(300);
    expect(most).toBe(4);
  });
});

describe('judgeAudit reasons', () => {
  const sub = {
    id: 'sub-1',
    companyId: 'pax8-1',
    productId: 'p-e3',
    productName: 'E3',
    quantity: 2,
    billingTerm: 'Monthly',
    status: 'Active',
    price: 25,
    partnerCost: 20,
    endDate: null,
    updatedDate: null,
    startDate: '2020-01-01',
  };
  const base = {
    subscriptions: [sub],
    companyBindings: [{ cwCompanyId: 7, pax8CompanyId: 'pax8-1' }],
    productBindings: [{ pax8ProductId: 'p-e3', billingTerm: 'Monthly', cwCatalogId: 682, price: null }],
    agreements: [agreement(70, 7)],
    today: '2020-09-20',
  };
  it.each([
    ['no line, never written', [], new Map(), 'never_synced'],
    [
      'no line, but we wrote one once (deleted in ConnectWise)',
      [],
      new Map([['sub-1', '2020-09-01T00:00:00Z']]),
      'not_on_agreement',
    ],
    [
      'a line written by hand',
      [
        {
          id: 1,
          agreementId: 70,
          catalogId: 682,
          quantity: 2,
          unitPrice: 25,
          unitCost: 20,
          effectiveDate: '2020-01-01',
          cancelledDate: null,
          marker: null,
        },
      ],
      new Map(),
      'written_by_hand',
    ],
    [
      'our marked line, journal lost',
      [
        {
          id: 1,
          agreementId: 70,
          catalogId: 682,
          quantity: 2,
          unitPrice: 25,
          unitCost: 20,
          effectiveDate: '2020-01-01',
          cancelledDate: null,
          marker: { subscriptionId: 'sub-1', kind: 'recurring' },
        },
      ],
      new Map(),
      null,
    ],
  ] as const)('%s → %s', (_name, additions, lastSynced, reason) => {
    const judged = judgeAudit({ ...base, additions: [...additions], lastSynced });
    expect(judged.get('sub-1')?.reason).toBe(reason);
  });
});
