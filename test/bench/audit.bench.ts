// The unsynced audit (GET /api/audit/unsynced) over the tests' large data sets (1,000 companies / 10,000
// subscriptions and 2,000 / 40,000) at 50 ms per upstream call, with the upstreams and the server in their own
// processes (the load bench's harness). Reports wall time, the server's CPU time and peak RSS, the answer's
// size, and the Pax8 calls made. Goals (issue 13): 10,000 in ≤ 1 s; 40,000 in ≤ 3 s, ≤ 200 MB, answer paged.
import { pathToFileURL } from 'node:url';
import { start, stop } from './load.bench.ts';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export async function auditOnce(companies: number, subscriptions: number, log: (line: string) => void) {
  const upstream = start('upstream.ts', {
    PAX8_COMPANIES: String(companies),
    PAX8_SUBSCRIPTIONS: String(subscriptions),
  });
  const { port: upstreamPort } = (await upstream.ready) as { port: number };
  const server = start('server.ts', { UPSTREAM_PORT: String(upstreamPort) }, ['--expose-gc']);
  try {
    const { port, token } = (await server.ready) as { port: number; token: string };
    const base = `http://127.0.0.1:${port}`;
    type Stats = { cpuMicros: number; rss: number; peakRss: number };
    const stats = async (resetPeak = false) =>
      (await (await fetch(`${base}/bench/stats${resetPeak ? '?resetPeak=1' : ''}`)).json()) as Stats;
    const calls = async () =>
      (await (await fetch(`http://127.0.0.1:${upstreamPort}/calls`)).json()) as { cw: number; pax8: number };
    await fetch(`${base}/bench/gc`, { method: 'POST' });
    const before = await stats(true);
    const callsBefore = await calls();
    const started = performance.now();
    const res = await fetch(`${base}/api/audit/unsynced`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    const wallMs = Math.round(performance.now() - started);
    const after = await stats();
    const callsAfter = await calls();
    if (res.status !== 200)
      throw new Error(`audit → ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
    const goal = subscriptions >= 40_000 ? 3000 : 1000;
    log(
      `${companies.toLocaleString('en')} companies / ${subscriptions.toLocaleString('en')} subscriptions: ` +
        `${wallMs} ms (goal ≤ ${goal} ms: ${wallMs <= goal ? 'met' : 'MISSED'}), server CPU ` +
        `${Math.round((after.cpuMicros - before.cpuMicros) / 1000)} ms, peak RSS ${mb(after.peakRss)} MB, answer ` +
        `${(body.byteLength / 1024 / 1024).toFixed(1)} MB in one piece, Pax8 calls ${callsAfter.pax8 - callsBefore.pax8}, ` +
        `ConnectWise calls ${callsAfter.cw - callsBefore.cw}`,
    );
    return { wallMs, peakRss: after.peakRss, bytes: body.byteLength };
  } finally {
    await stop(server.child);
    await stop(upstream.child);
  }
}

export async function benchAudit(log: (line: string) => void = console.log) {
  await auditOnce(1000, 10_000, log);
  await auditOnce(2000, 40_000, log);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchAudit();
