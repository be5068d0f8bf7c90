// What the typed client adds on top of the emulator per 1,000-row page: the same pages fetched raw
// (emulator only) and through createConnectWiseClient (pager, valibot parsing). A plain script.
import { pathToFileURL } from 'node:url';
import { createConnectWiseClient } from '../../server/connectwise/index.ts';
import {
  createCwEmulator,
  demoCwCredentials as creds,
  generateLargeCwData,
} from '../../server/sandbox/cw/index.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function benchCwClient(log: (line: string) => void = console.log): Promise<void> {
  const data = generateLargeCwData({ companies: 2000, additions: 20000 });
  const { app } = createCwEmulator({ data });
  const base = 'http://bench.local/v4_6_release/apis/3.0';
  const fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    app.request(input instanceof Request ? input : String(input), init);
  const cw = createConnectWiseClient({
    apiBaseUrl: base,
    companyId: creds.companyId,
    auth: { kind: 'apiKey', publicKey: creds.publicKey, privateKey: creds.privateKey },
    clientId: creds.clientId,
    fetch: fetch as typeof globalThis.fetch,
  });
  const headers = {
    Authorization: `Basic ${Buffer.from(`${creds.companyId}+${creds.publicKey}:${creds.privateKey}`).toString('base64')}`,
    clientId: creds.clientId,
  };
  const raw = async () => {
    for (const page of [1, 2]) {
      const res = await app.request(`${base}/company/companies?pageSize=1000&page=${page}`, { headers });
      await res.json();
    }
  };
  const client = async () => {
    const rows = await cw.companies.all();
    if (rows.length !== 2000) throw new Error(`expected 2,000 companies, got ${rows.length}`);
  };
  for (const [name, fn] of [
    ['emulator only, 2 pages of 1,000 companies', raw],
    ['through the client (pager + schemas), 2,000 companies', client],
  ] as const) {
    await fn();
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    log(`${name.padEnd(56)} median ${(median(times) / 2).toFixed(1)} ms per 1,000-row page`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchCwClient();
