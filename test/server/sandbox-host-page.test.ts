// The sandbox host page carries its credentials (issue 13): what GET /sandbox/credentials answers, as a JSON
// data block the page reads before it asks the emulated ConnectWise anything, so it frames the pod one round
// trip sooner. The block is data, not a script, and no value can close it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCwRest, inlineCredentials, inlineFirstScreen } from '../../client/sandbox-host/cw-rest.ts';
import {
  createSandbox,
  hostFirstReads,
  SANDBOX_CREDENTIALS_ELEMENT_ID,
  SANDBOX_FIRST_SCREEN_ELEMENT_ID,
} from '../../server/sandbox/index.ts';

let distDir: string;
beforeEach(() => {
  distDir = mkdtempSync(join(tmpdir(), 'sandbox-host-page-'));
  mkdirSync(join(distDir, 'sandbox-host'));
  writeFileSync(
    join(distDir, 'sandbox-host/index.html'),
    '<!doctype html><html><head><title>host</title></head><body><div id="root"></div></body></html>',
  );
});
afterEach(() => rmSync(distDir, { recursive: true, force: true }));

const blockOf = (html: string) =>
  new RegExp(
    `<script type="application/json" id="${SANDBOX_CREDENTIALS_ELEMENT_ID}">(.*?)</script></head>`,
  ).exec(html)?.[1];

describe('GET /sandbox/host', () => {
  it('carries the credentials GET /sandbox/credentials answers, tenant key included', async () => {
    const sandbox = createSandbox({ distDir, tenantKeyOf: async () => 'Tk_0123456789abcdefghijklmnopqrstu' });
    const page = await sandbox.app.request('http://127.0.0.1:8787/host?screen=agreement');
    expect(page.status).toBe(200);
    const block = blockOf(await page.text());
    expect(block).toBeDefined();
    const asked = await (await sandbox.app.request('http://127.0.0.1:8787/credentials')).json();
    expect(JSON.parse(block!)).toEqual(asked);
    expect(asked.tenantKey).toBe('Tk_0123456789abcdefghijklmnopqrstu');
    expect(asked.connectwise.apiBaseUrl).toBe('http://127.0.0.1:8787/sandbox/cw/v4_6_release/apis/3.0');
    // What the page's script makes of it.
    expect(inlineCredentials(block)).toMatchObject({
      apiBaseUrl: 'http://127.0.0.1:8787/sandbox/cw/v4_6_release/apis/3.0',
      tenantKey: 'Tk_0123456789abcdefghijklmnopqrstu',
    });
  });

  it('without a sandbox tenant yet, the block has no tenant key', async () => {
    const sandbox = createSandbox({ distDir, tenantKeyOf: async () => undefined });
    const block = blockOf(await (await sandbox.app.request('http://127.0.0.1:8787/host')).text());
    expect(JSON.parse(block!)).not.toHaveProperty('tenantKey');
  });

  it('a key that would close the element is escaped, and a bad block is not taken', async () => {
    const sandbox = createSandbox({ distDir, tenantKeyOf: async () => '</script><script>alert(1)</script>' });
    const html = await (await sandbox.app.request('http://127.0.0.1:8787/host')).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(JSON.parse(blockOf(html)!).tenantKey).toBe('</script><script>alert(1)</script>');
    expect(inlineCredentials('{"connectwise":{}}')).toBeNull();
    expect(inlineCredentials('not json')).toBeNull();
    expect(inlineCredentials(undefined)).toBeNull();
  });

  it("carries the screen's first reads: the page frames the pod without asking the emulated ConnectWise first", async () => {
    const sandbox = createSandbox({ distDir, tenantKeyOf: async () => 'Tk_0123456789abcdefghijklmnopqrstu' });
    sandbox.clock.setToday('2026-11-20');
    const html = await (await sandbox.app.request('http://127.0.0.1:8787/host?screen=agreement')).text();
    const firstBlock = new RegExp(
      `<script type="application/json" id="${SANDBOX_FIRST_SCREEN_ELEMENT_ID}">(.*?)</script>`,
    ).exec(html)?.[1];
    const first = inlineFirstScreen(firstBlock);
    expect(first.today).toBe('2026-11-20');
    expect(Object.keys(first.reads).sort()).toEqual(hostFirstReads('jsmith').sort());
    // The host page's client asks exactly these paths: every first read is answered from the page.
    const asked: string[] = [];
    const credentials = inlineCredentials(blockOf(html))!;
    const viaSandbox = (async (input: string | URL | Request, init?: RequestInit) => {
      asked.push(String(input));
      return sandbox.app.request(
        String(input).replace('http://127.0.0.1:8787/sandbox', 'http://127.0.0.1:8787'),
        init,
      );
    }) as typeof fetch;
    const rest = createCwRest(credentials, viaSandbox, first.reads);
    const [agreements, companies, setups, screens, menu, email] = await Promise.all([
      rest.agreements(),
      rest.companies(),
      rest.setups(),
      rest.screens(),
      rest.menuEntries!(),
      rest.memberEmail(),
    ]);
    expect(asked).toEqual([]);
    expect(agreements.find((a) => a.name === 'Ace Monthly')).toBeDefined();
    expect(companies.length).toBeGreaterThan(0);
    expect(Array.isArray(setups) && Array.isArray(menu)).toBe(true);
    expect([...screens.values()]).toContain('AgreementDetail');
    expect(email).toMatch(/@/);
    // Each first read is used once: refreshScreen reads the emulated ConnectWise, and gets the same answer.
    expect(await rest.agreements()).toEqual(agreements);
    expect(asked).toEqual([
      'http://127.0.0.1:8787/sandbox/cw/v4_6_release/apis/3.0/finance/agreements?pageSize=1000&orderBy=id',
    ]);
  });

  it('a bad first-screen block is not taken: the page reads everything itself', () => {
    expect(inlineFirstScreen('not json')).toEqual({ reads: {} });
    expect(inlineFirstScreen('{"reads":[]}')).toEqual({ reads: {} });
    expect(inlineFirstScreen(undefined)).toEqual({ reads: {} });
  });
});
