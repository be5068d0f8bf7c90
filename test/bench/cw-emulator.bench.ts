// What one 1,000-row page costs the CW emulator (2,000 companies, 20,000 additions), so benchmarks of
// the sync can tell emulator time from their own. A plain script: `npx tsx test/bench/cw-emulator.bench.ts`.
import { pathToFileURL } from 'node:url';
import {
  createCwEmulator,
  demoCwCredentials as creds,
  generateLargeCwData,
} from '../../server/sandbox/cw/index.ts';

const headers = {
  Authorization: `Basic ${Buffer.from(`${creds.companyId}+${creds.publicKey}:${creds.privateKey}`).toString('base64')}`,
  clientId: creds.clientId,
};

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Number((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2));
  return { median: at(0.5), p95: at(0.95) };
}

export async function benchCwEmulator(log: (line: string) => void = console.log): Promise<void> {
  const t0 = performance.now();
  const data = generateLargeCwData({ companies: 2000, additions: 20000 });
  log(`generateLargeCwData(2,000 companies, 20,000 additions): ${(performance.now() - t0).toFixed(0)} ms`);
  const { app } = createCwEmulator({ data });
  const base = 'http://bench.local/v4_6_release/apis/3.0';
  const get = async (path: string, extra: Record<string, string> = {}) => {
    const res = await app.request(`${base}${path}`, { headers: { ...headers, ...extra } });
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
    return res.json();
  };
  const agreementId = [...data.tables.agreements.rows.keys()][0] as number;
  const cases: [string, () => Promise<unknown>][] = [
    ['companies, page 1 of 1,000', () => get('/company/companies?pageSize=1000')],
    [
      'companies, page 2 of 1,000, orderBy name desc',
      () => get('/company/companies?pageSize=1000&page=2&orderBy=name desc'),
    ],
    [
      'companies, conditions (like + or), 1,000',
      () => get('/company/companies?pageSize=1000&conditions=name like "Company 1%" or city = "Denver"'),
    ],
    [
      'companies, forward-only pageId=1000',
      () => get('/company/companies?pageSize=1000&pageId=1000', { 'pagination-type': 'forward-only' }),
    ],
    ['companies, fields=id,name, 1,000', () => get('/company/companies?pageSize=1000&fields=id,name')],
    ['agreements, 1,000', () => get('/finance/agreements?pageSize=1000')],
    [
      'additions of one agreement (scan of 20,000)',
      () => get(`/finance/agreements/${agreementId}/additions?pageSize=1000`),
    ],
    [
      'agreements/count with conditions',
      () => get('/finance/agreements/count?conditions=agreementStatus="Active"'),
    ],
  ];
  for (const [name, fn] of cases) {
    await fn(); // warm-up
    const { median, p95 } = await timed(20, fn);
    log(`${name.padEnd(52)} median ${median} ms  p95 ${p95} ms`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchCwEmulator();
