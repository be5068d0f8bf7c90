// The board's reading at scale (server/board/reads.ts): bound companies read, judged and handed over in chunks
// of BOARD_CHUNK, several chunks in flight with their ConnectWise reads within BOARD_ADDITIONS_CONCURRENCY, pages
// (one agreements page per chunk, one additions walk per agreement), never one call per subscription.
import { describe, expect, it } from 'vitest';
import type { CompanyRows } from '../../server/board/reads.ts';
import { BOARD_ADDITIONS_CONCURRENCY, BOARD_CHUNK, readBoard } from '../../server/board/reads.ts';
import type { SyncSubscription } from '../../server/sync/ports.ts';
import type { SyncContext } from '../../server/sync-context.ts';

const now = new Date('2020-09-20T12:00:00.000Z');

const sub = (id: string, companyId: string): SyncSubscription => ({
  id,
  companyId,
  productId: 'prod-unbound',
  productName: 'Unbound product',
  billingTerm: 'Monthly',
  quantity: 3,
  price: 10,
  partnerCost: 8,
  status: 'Active',
  startDate: '2020-01-01',
  endDate: null,
  updatedDate: null,
});

/** 250 bound companies with 1 subscription and 1 agreement each, 50 unbound ones; ConnectWise answers in 5 ms. */
function fakeContext(opts: { failPax8?: boolean } = {}) {
  const bound = 250;
  const calls = { agreements: [] as number[][], additions: 0, subscriptionWalks: 0, active: 0, most: 0 };
  const cw = async <T>(value: T): Promise<T> => {
    calls.active++;
    calls.most = Math.max(calls.most, calls.active);
    await new Promise((r) => setTimeout(r, 5));
    calls.active--;
    return value;
  };
  const subscriptions = Array.from({ length: bound + 50 }, (_, i) => sub(`s${i}`, `p${i}`));
  const ctx = {
    tenant: { id: 't1', settings: { marginFloorPercent: null } },
    repos: {
      companyBindings: {
        list: async () =>
          Array.from({ length: bound }, (_, i) => ({ cwCompanyId: 1000 + i, pax8CompanyId: `p${i}` })),
      },
      productBindings: { list: async () => [] },
      ignored: { list: async () => [] },
      priceOverrides: { forTenant: async () => new Map() },
      journal: {
        forSubscriptions: async (_t: string, ids: readonly string[]) => new Map(ids.map((id) => [id, []])),
      },
    },
    pax8: {
      subscriptions: {
        allAs: async () => {
          calls.subscriptionWalks++;
          if (opts.failPax8) throw new Error('Pax8 is down');
          return subscriptions;
        },
      },
      companies: {
        all: async () => subscriptions.map((s) => ({ id: s.companyId, name: `Co ${s.companyId}` })),
      },
    },
    cw: {
      agreements: {
        all: async ({ conditions }: { conditions: string }) => {
          const ids = (/company\/id in \(([^)]*)\)/.exec(conditions)?.[1] ?? '').split(', ').map(Number);
          calls.agreements.push(ids);
          return cw(
            ids.map((id) => ({
              id: id + 5000,
              name: `Agreement ${id}`,
              agreementStatus: 'Active',
              company: { id, name: `Co ${id}` },
              billingCycle: { id: 1, name: 'Monthly' },
            })),
          );
        },
      },
    },
    upstream: {
      listAdditions: async () => {
        calls.additions++;
        return cw([]);
      },
    },
  };
  return { ctx: ctx as unknown as SyncContext, calls };
}

describe('the board read in company chunks', () => {
  it('hands over each chunk of bound companies with its rows, within the ConnectWise cap, in pages', async () => {
    const { ctx, calls } = fakeContext();
    const chunks: CompanyRows[] = [];
    const read = await readBoard(ctx, {
      now,
      scope: 'all',
      costs: Promise.resolve(new Map()),
      names: new Map(),
      onChunk: async (rows) => {
        chunks.push(rows);
      },
    });
    expect(BOARD_CHUNK).toBe(100);
    expect(chunks.map((c) => c.size).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(chunks.flatMap((c) => [...c.values()].flatMap((e) => e.rows)).length).toBe(250);
    // One agreements page per chunk, one additions walk per agreement, one subscriptions walk.
    expect(calls.agreements.map((ids) => ids.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(calls.additions).toBe(250);
    expect(calls.subscriptionWalks).toBe(1);
    // Chunks overlap, yet never more ConnectWise calls at once than the cap.
    expect(calls.most).toBeGreaterThan(1);
    expect(calls.most).toBeLessThanOrEqual(BOARD_ADDITIONS_CONCURRENCY);
    // The kept board: every bound company in binding order, with its subscriptions and rows.
    expect([...read.byCompany.keys()]).toEqual(Array.from({ length: 250 }, (_, i) => `p${i}`));
    expect(read.byCompany.get('p7')).toMatchObject({
      subscriptions: 1,
      rows: [{ subscriptionId: 's7', cwCompanyId: 1007, companyName: 'Co p7', status: 'product_not_bound' }],
    });
    expect(read).toMatchObject({ subscriptions: 300, companies: 300 });
  });

  it("fails with Pax8's error, saving no chunk", async () => {
    const { ctx } = fakeContext({ failPax8: true });
    let saved = 0;
    await expect(
      readBoard(ctx, {
        now,
        scope: 'all',
        costs: new Map(),
        names: new Map(),
        onChunk: async () => {
          saved++;
        },
      }),
    ).rejects.toThrow('Pax8 is down');
    expect(saved).toBe(0);
  });
});
