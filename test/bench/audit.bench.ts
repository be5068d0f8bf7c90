// The unsynced audit (GET /api/audit/unsynced) over the tests' large data sets (1,000 companies / 10,000
// subscriptions and 2,000 / 40,000) at 50 ms per upstream call, with the upstreams and the server in their own
// processes (the load bench's harness). Reports the first page's wall time (cold: the whole reading) and the
// walk through every page by its cursor, the server's CPU time and peak RSS, the bytes sent, and the upstream
// calls made. Goals (issue 13): 10,000 in ≤ 1 s; 40,000 in ≤ 3 s, ≤ 200 MB, answer paged.
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
    // The first page cold (the whole reading happens here), then every later page by its cursor.
    const get = async (cursor: string | null) => {
      const q = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
      const res = await fetch(`${base}/api/audit/unsynced${q}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await res.arrayBuffer();
      if (res.status !== 200)
        throw new Error(`audit → ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
      const page = JSON.parse(Buffer.from(body).toString()) as { page: { nextCursor: string | null } };
      return { bytes: body.byteLength, next: page.page.nextCursor };
    };
    const first = await get(null);
    const firstMs = Math.round(performance.now() - started);
    const afterFirst = await stats();
    let pages = 1;
    let bytes = first.bytes;
    for (let cursor = first.next; cursor !== null; pages++) {
      const page = await get(cursor);
      bytes += page.bytes;
      cursor = page.next;
    }
    const wallMs = Math.round(performance.now() - started);
    const after = await stats();
    const callsAfter = await calls();
    const goal = subscriptions >= 40_000 ? 3000 : 1000;
    log(
      `${companies.toLocaleString('en')} companies / ${subscriptions.toLocaleString('en')} subscriptions: first page ` +
        `(cold: the whole reading) ${firstMs} ms (goal ≤ ${goal} ms: ${firstMs <= goal ? 'met' : 'MISSED'}), server CPU ` +
        `${Math.round((afterFirst.cpuMicros - before.cpuMicros) / 1000)} ms; all ${pages} pages ${wallMs} ms ` +
        `(server CPU ${Math.round((after.cpuMicros - before.cpuMicros) / 1000)} ms), ` +
        `${(bytes / 1024 / 1024).toFixed(1)} MB in all; peak RSS ${mb(after.peakRss)} MB (idle ${mb(before.rss)} MB); ` +
        `Pax8 calls ${callsAfter.pax8 - callsBefore.pax8}, ConnectWise calls ${callsAfter.cw - callsBefore.cw}`,
    );
    return { firstMs, wallMs, pages, peakRss: after.peakRss, bytes };
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
