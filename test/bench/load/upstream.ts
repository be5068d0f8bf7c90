// The load bench's upstreams, in their own process so their CPU is not the server's: the emulated ConnectWise
// (/cw) and Pax8 (/pax8) with demo data (or PAX8_SUBSCRIPTIONS generated ones) and 50 ms added to every call. Prints {"port":…} once listening.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createCwEmulator, generateLargeCwData } from '../../../server/sandbox/cw/index.ts';
import { createPax8Emulator, generateLargePax8Data } from '../../../server/sandbox/pax8/index.ts';

const latencyMs = Number(process.env.UPSTREAM_LATENCY_MS ?? 50);
// CW_LARGE=companies:agreements:additions (the board bench): the large ConnectWise set instead of the demo's.
const cwLarge = (process.env.CW_LARGE ?? '').split(':').map(Number);
const cw = createCwEmulator(
  cwLarge.length === 3
    ? {
        data: generateLargeCwData({
          companies: cwLarge[0]!,
          agreementsPerCompany: Math.round(cwLarge[1]! / cwLarge[0]!),
          additions: cwLarge[2]!,
          now: new Date(),
        }),
      }
    : {},
);
// PAX8_COMPANIES/PAX8_SUBSCRIPTIONS: the tests' large data set (the audit bench) instead of the demo data.
const large = Number(process.env.PAX8_SUBSCRIPTIONS ?? 0);
const pax8 = createPax8Emulator(
  large
    ? {
        data: generateLargePax8Data(
          { companies: Number(process.env.PAX8_COMPANIES), subscriptions: large },
          new Date(),
        ),
      }
    : {},
);
cw.faults.set({ latencyMs });
pax8.faults.set({ latencyMs });
// CW_MAX_CONCURRENT: ConnectWise's 429 with Retry-After beyond N requests in flight per tenant (the board bench).
if (process.env.CW_MAX_CONCURRENT) cw.faults.set({ maxConcurrent: Number(process.env.CW_MAX_CONCURRENT) });
const app = new Hono();
// Upstream calls by kind (method and path with ids as :id), for the board bench's "pages, never per subscription".
const byKind = new Map<string, number>();
app.use('*', async (c, next) => {
  const kind = `${c.req.method} ${c.req.path.replace(/\/[0-9a-f-]{36}|\/\d+(?=\/|$)/g, '/:id')}`;
  byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  await next();
});
app.get('/catalog', (c) =>
  c.json([...cw.data.tables.catalog.rows.values()].map((r) => ({ id: r.id, identifier: r.identifier }))),
);
app.get('/calls/by-kind', (c) => c.json(Object.fromEntries(byKind)));
app.get('/calls/refused', (c) => c.json({ cw: cw.faults.counts.concurrencyRefused }));
// 20 seat changes (the board bench's incremental refresh): +1 seat on `n` subscriptions of different companies.
app.post('/bench/seat-changes', (c) => {
  const n = Number(c.req.query('n') ?? 20);
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const { current } of pax8.data.subscriptions.values()) {
    if (ids.length >= n) break;
    if (seen.has(current.companyId) || current.status !== 'Active') continue;
    seen.add(current.companyId);
    pax8.data.changeQuantity(current.id, current.quantity + 1, new Date().toISOString());
    ids.push(current.id);
  }
  return c.json({ ids });
});
app.route('/cw', cw.app);
app.route('/pax8', pax8.app);
app.get('/agreement-id', (c) => {
  const row = [...cw.data.tables.agreements.rows.values()].find((a) => a.name === c.req.query('name'));
  return c.json({ id: row?.id ?? null });
});
app.get('/calls', (c) => c.json({ cw: cw.faults.counts.requests, pax8: pax8.faults.counts.requests }));
// The latency of both emulators from now on (the load bench measures CPU per view at 0 ms, the load at 50 ms).
app.post('/latency', (c) => {
  const ms = Number(c.req.query('ms'));
  if (!Number.isInteger(ms) || ms < 0) return c.json({ error: 'ms must be a whole number' }, 400);
  cw.faults.set({ latencyMs: ms });
  pax8.faults.set({ latencyMs: ms });
  return c.json({ latencyMs: ms });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
