// The load bench's upstreams, in their own process so their CPU is not the server's: the emulated ConnectWise
// (/cw) and Pax8 (/pax8) with demo data (or PAX8_SUBSCRIPTIONS generated ones) and 50 ms added to every call. Prints {"port":…} once listening.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createCwEmulator } from '../../../server/sandbox/cw/index.ts';
import { createPax8Emulator, generateLargePax8Data } from '../../../server/sandbox/pax8/index.ts';

const latencyMs = Number(process.env.UPSTREAM_LATENCY_MS ?? 50);
const cw = createCwEmulator();
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
const app = new Hono();
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
