// The set-up every browser test shares: a sandbox server on a temp data dir and one Chromium, started in
// beforeAll and torn down in afterAll; and a reader of the CW emulator's REST API with the sandbox's keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { silentLogger } from '../../server/log.ts';
import { startSandboxServer } from '../../server/runtime.ts';
import { launchChromium } from './chromium.ts';

export type SandboxServer = { url: string; close(): Promise<void> };

/** Getters valid inside tests and later hooks of the same describe block. */
export type Sandbox = { readonly server: SandboxServer; readonly browser: Browser };

/**
 * The sandbox date every browser test runs on, so the demo's figures hold whatever the real date: a 30-day
 * month after the 9th (Ace's E3 seat change on the 9th prorates 21/30 = 14.00 cost, 17.50 price).
 */
export const E2E_TODAY = '2026-11-20';

/** Registers beforeAll/afterAll in the calling describe block; `prefix` names the temp data dir. */
export function useSandbox(prefix: string, opts: { today?: string } = {}): Sandbox {
  let server: SandboxServer | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
    server = await startSandboxServer({
      port: 0,
      dataDir,
      logger: silentLogger,
      today: opts.today ?? E2E_TODAY,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get server() {
      if (!server) throw new Error('useSandbox: the server is read before beforeAll ran');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('useSandbox: the browser is read before beforeAll ran');
      return browser;
    },
  };
}

export type CwApi = { apiBaseUrl: string; headers: Record<string, string> };

/** The CW emulator's base URL and the sandbox API member's headers, from /sandbox/credentials. */
export async function cwApi(serverUrl: string): Promise<CwApi> {
  const creds = (await (await fetch(`${serverUrl}/sandbox/credentials`)).json()).connectwise;
  return {
    apiBaseUrl: creds.apiBaseUrl,
    headers: {
      authorization: `Basic ${btoa(`${creds.companyId}+${creds.publicKey}:${creds.privateKey}`)}`,
      clientId: creds.clientId,
    },
  };
}

/** The sandbox tenant's key, as ConnectWise knows it: the `t` of the pod URL the boot registered. */
export async function sandboxTenantKey(serverUrl: string): Promise<string> {
  const cw = await cwApi(serverUrl);
  const setups: { url: string }[] = await (
    await fetch(`${cw.apiBaseUrl}/system/connectwisehostedsetups?pageSize=1000`, { headers: cw.headers })
  ).json();
  const key = setups.map((s) => new URL(s.url).searchParams.get('t')).find(Boolean);
  if (!key) throw new Error('sandboxTenantKey: no registered pod URL carries a tenant key');
  return key;
}

export type Addition = {
  id: number;
  product?: { identifier?: string };
  quantity: number;
  unitPrice: number;
  unitCost: number;
  effectiveDate?: string | null;
  cancelledDate?: string | null;
  invoiceDescription?: string;
};

/** The agreement's additions as the CW emulator holds them (read over REST). */
export async function cwAdditions(serverUrl: string, agreementId: number): Promise<Addition[]> {
  const { apiBaseUrl, headers } = await cwApi(serverUrl);
  const res = await fetch(`${apiBaseUrl}/finance/agreements/${agreementId}/additions?pageSize=1000`, {
    headers,
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** An agreement's id by its name, read over the CW emulator's REST API (e.g. 'Dynamo Monthly'). */
export async function agreementIdNamed(serverUrl: string, name: string): Promise<number> {
  const { apiBaseUrl, headers } = await cwApi(serverUrl);
  const res = await fetch(
    `${apiBaseUrl}/finance/agreements?conditions=${encodeURIComponent(`name="${name}"`)}`,
    { headers },
  );
  expect(res.status).toBe(200);
  const [agreement] = (await res.json()) as { id: number }[];
  if (!agreement) throw new Error(`agreementIdNamed: no agreement named ${name}`);
  return agreement.id;
}
