// The pod's agreement view under realistic latency: both emulators at 50 ms a call, a company with 200
// subscriptions and an agreement with 300 additions. Prints p50/p95 over 20 runs and the upstream calls
// per view (goal: p95 < 400 ms, a constant number of calls). `npx tsx test/bench/pod-view.bench.ts`.
import { pathToFileURL } from 'node:url';
import {
  demoCustomers,
  demoProducts,
  pax8CompanyIdOf,
  pax8ProductIdOf,
} from '../../server/sandbox/demo/msp.ts';
import { createHarness } from '../server/sync-harness.ts';

export type PodViewBench = { p50: number; p95: number; cwCalls: number; pax8Calls: number; rows: number };

export async function run(log: (line: string) => void = console.log, runs = 20): Promise<PodViewBench> {
  const h = await createHarness({ now: new Date('2026-01-15T12:00:00Z') });
  try {
    const ace = demoCustomers.find((c) => c.identifier === 'AceChemical')!;
    const companyId = pax8CompanyIdOf(ace)!;
    const agreement = h.agreementNamed('Ace Monthly');
    const products = demoProducts.filter((p) => !p.usage);
    const existing = [...h.pax8.data.subscriptions.values()].filter(
      (s) => s.current.companyId === companyId,
    ).length;
    for (let i = existing; i < 200; i++) {
      const p = products[i % products.length]!;
      h.pax8.data.addSubscription({
        companyId,
        productId: pax8ProductIdOf(p),
        price: p.price,
        partnerCost: p.cost,
        history: [
          { date: '2025-06-01', quantity: 1 + (i % 7) },
          { date: `2026-01-0${1 + (i % 9)}`, quantity: 2 + (i % 7) },
        ],
      });
    }
    const catalogIds = demoProducts.flatMap((p) => (p.cwCatalogId === undefined ? [] : [p.cwCatalogId]));
    for (let i = h.additionsOf(agreement.id).length; i < 300; i++) {
      const catalogId = catalogIds[i % catalogIds.length]!;
      h.cw.data.insert('additions', {
        agreementId: agreement.id,
        product: { id: catalogId },
        billCustomer: 'Billable',
        quantity: 1 + (i % 11),
        unitPrice: 10,
        unitCost: 8,
        effectiveDate: `2025-0${1 + (i % 9)}-01T00:00:00Z`,
        ...(i % 3 === 0 ? { cancelledDate: '2025-12-31T00:00:00Z' } : {}),
        invoiceDescription: `Line ${i}`,
        _info: { lastUpdated: '2025-12-01T00:00:00Z' },
      });
    }
    h.cw.faults.set({ latencyMs: 50 });
    h.pax8.faults.set({ latencyMs: 50 });
    const view = async () => {
      const res = await h.call('GET', `/api/views/agreement/${agreement.id}`);
      if (res.status !== 200) throw new Error(`view → ${res.status} ${JSON.stringify(res.json)}`);
      return res.json as { rows: unknown[] };
    };
    const warm = await view();
    const times: number[] = [];
    let cwCalls = 0;
    let pax8Calls = 0;
    for (let i = 0; i < runs; i++) {
      const cw0 = h.cw.faults.counts.requests;
      const px0 = h.pax8.faults.counts.requests;
      const t = performance.now();
      await view();
      times.push(performance.now() - t);
      cwCalls = h.cw.faults.counts.requests - cw0;
      pax8Calls = h.pax8.faults.counts.requests - px0;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
    const result = { p50: at(0.5), p95: at(0.95), cwCalls, pax8Calls, rows: warm.rows.length };
    log(
      `GET /api/views/agreement/:id (${result.rows} subscriptions, ${h.additionsOf(agreement.id).length} additions, ` +
        `50 ms per upstream call): p50 ${result.p50} ms, p95 ${result.p95} ms over ${runs} runs; ` +
        `upstream calls per view: ConnectWise ${cwCalls}, Pax8 ${pax8Calls}` +
        (result.p95 < 400 ? ' (goal p95 < 400 ms: met)' : ' (goal p95 < 400 ms: MISSED)'),
    );
    return result;
  } finally {
    await h.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
}
