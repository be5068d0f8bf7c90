// The load bench's server: the real runtime (createRuntime: store in a temp DATA_DIR, sessions, shedding from
// MAX_IN_FLIGHT*) with one tenant on the upstream process, plus two bench-only routes outside the app: a bare
// Hono JSON route (the CPU baseline) and /bench/stats (this process's CPU time and RSS, peak sampled every
// 100 ms). Prints {"port","token"} once listening.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { readEnv } from '../../../server/env.ts';
import { createGuardedFetch } from '../../../server/http/guarded-fetch.ts';
import { silentLogger } from '../../../server/log.ts';
import { createRuntime, tuneHeap } from '../../../server/runtime.ts';
import { demoCwCredentials } from '../../../server/sandbox/cw/index.ts';
import {
  demoCustomers,
  demoProducts,
  pax8CompanyIdOf,
  pax8ProductIdOf,
} from '../../../server/sandbox/demo/msp.ts';
import { demoPax8Credentials, largePax8CompanyId } from '../../../server/sandbox/pax8/index.ts';

const upstream = `http://127.0.0.1:${process.env.UPSTREAM_PORT}`;
const env = readEnv({
  ...process.env,
  SANDBOX: '0',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'pod-bench-')),
  APP_SECRET: 'bench-secret-bench-secret-bench-secret',
  LOG_LEVEL: 'silent',
});
// The product's heap setting, as `npm start` applies it.
tuneHeap(env);
// The production fetch (SSRF guard, pinned addresses, keep-alive pool) with the bench's loopback upstream allowed.
const runtime = await createRuntime(env, {
  logger: silentLogger,
  fetch: createGuardedFetch({ allowedOrigins: () => [upstream] }),
});
const { repos, sessions } = runtime.ctx;
const tenant = await repos.tenants.upsert({
  name: 'Bench MSP',
  cwSite: `127.0.0.1:${process.env.UPSTREAM_PORT}`,
  cwCompanyId: demoCwCredentials.companyId,
  cwRegion: 'sandbox',
  cwApiBaseUrl: `${upstream}/cw/v4_6_release/apis/3.0`,
  cwClientId: demoCwCredentials.clientId,
  cwPublicKey: demoCwCredentials.publicKey,
  cwPrivateKey: demoCwCredentials.privateKey,
  pax8ClientId: demoPax8Credentials.clientId,
  pax8ClientSecret: demoPax8Credentials.clientSecret,
  pax8ApiBaseUrl: `${upstream}/pax8/v1`,
});
// BENCH_BOARD_COMPANIES=N (the board bench): the large sets' companies bound one to one (Pax8 #i ↔ CW id i+1)
// and every seat product bound, Monthly, to a catalog item of the large ConnectWise set; no demo bindings.
const boardCompanies = Number(process.env.BENCH_BOARD_COMPANIES ?? 0);
for (const customer of boardCompanies > 0 ? [] : demoCustomers) {
  const pax8CompanyId = pax8CompanyIdOf(customer);
  if (customer.pax8 !== 'bound' || !pax8CompanyId) continue;
  await repos.companyBindings.bind(tenant.id, {
    cwCompanyId: customer.cwId,
    pax8CompanyId,
    createdBy: 'bench',
  });
}
if (boardCompanies > 0) {
  for (let i = 0; i < boardCompanies; i++) {
    await repos.companyBindings.bind(tenant.id, {
      cwCompanyId: i + 1,
      pax8CompanyId: largePax8CompanyId(i),
      createdBy: 'bench',
    });
  }
  const catalog = (await (await fetch(`${upstream}/catalog`)).json()) as { id: number; identifier: string }[];
  const products = demoProducts.filter((p) => !p.usage);
  for (const [n, product] of products.entries()) {
    const item = catalog[n % catalog.length]!;
    await repos.productBindings.upsert(tenant.id, {
      pax8ProductId: pax8ProductIdOf(product),
      billingTerm: 'Monthly',
      cwCatalogId: item.id,
      cwIdentifier: item.identifier,
      price: null,
    });
  }
}
const { token } = await sessions.sign({ tenantId: tenant.id, memberId: 'bench', memberName: 'Bench' });

let peakRss = process.memoryUsage().rss;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100).unref();

const outer = new Hono();
outer.get('/bench/bare', (c) => c.json({ ok: true, at: 1 }));
outer.get('/bench/stats', (c) => {
  const cpu = process.cpuUsage();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  peakRss = Math.max(peakRss, rss);
  const stats = {
    cpuMicros: cpu.user + cpu.system,
    rss,
    peakRss,
    heapUsed,
    heapTotal,
    external,
    arrayBuffers,
  };
  if (c.req.query('resetPeak') === '1') peakRss = rss;
  return c.json(stats);
});
outer.post('/bench/gc', (c) => {
  (globalThis as { gc?: () => void }).gc?.();
  return c.json({ rss: process.memoryUsage().rss });
});
// The product's app answers everything else through its own fetch (as main.ts serves it), so the bare route
// and the product's routes are each dispatched by their own app.
const fetchOf = (request: Request, env: unknown) =>
  new URL(request.url).pathname.startsWith('/bench/')
    ? outer.fetch(request, env)
    : runtime.app.fetch(request, env);

const server = serve({ fetch: fetchOf, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port, token })}\n`);
});
process.on('SIGTERM', () => server.close(() => runtime.close().then(() => process.exit(0))));
