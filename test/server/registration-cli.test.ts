import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatReport, parseArgs, runRegister } from '../../server/cli/register-command.ts';
import { demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import { demoPax8Credentials } from '../../server/sandbox/pax8/emulator.ts';
import { createRepositories, createSecretBox, deriveKey, openStore } from '../../server/store/index.ts';
import { appSecret, type Harness, harness } from './setup-harness.ts';

let h: Harness;
let dataDir: string;

beforeEach(async () => {
  h = await harness();
  dataDir = mkdtempSync(join(tmpdir(), 'pod-register-'));
  const store = await openStore({ sqlitePath: join(dataDir, 'pod.sqlite') });
  await createRepositories(store.db, createSecretBox(deriveKey(appSecret, 'secrets'))).tenants.upsert({
    name: 'Northwind',
    cwSite: '127.0.0.1:8787',
    cwCompanyId: demoCwCredentials.companyId,
    cwRegion: 'sandbox',
    cwApiBaseUrl: 'http://127.0.0.1:8787/sandbox/cw/v4_6_release/apis/3.0',
    cwClientId: demoCwCredentials.clientId,
    cwPublicKey: demoCwCredentials.publicKey,
    cwPrivateKey: demoCwCredentials.privateKey,
    pax8ClientId: demoPax8Credentials.clientId,
    pax8ClientSecret: demoPax8Credentials.clientSecret,
  });
  await store.close();
});
afterEach(async () => {
  await h.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({
  DATA_DIR: dataDir,
  APP_SECRET: appSecret,
  PUBLIC_URL: 'https://pod.example.com',
  SANDBOX: true,
});

describe('npm run register', () => {
  it.each([
    [[], { dryRun: false, remove: false, help: false }],
    [['--dry-run'], { dryRun: true, remove: false, help: false }],
    [
      ['--remove', '--tenant', 'na.myconnectwise.net'],
      { dryRun: false, remove: true, help: false, tenant: 'na.myconnectwise.net' },
    ],
  ])('parses %j', (argv, args) => {
    expect(parseArgs(argv)).toEqual(args);
  });

  it.each([[['--tenant']], [['--force']]])('refuses %j', (argv) => {
    expect(() => parseArgs(argv)).toThrow();
  });

  it('dry run, apply, re-apply, remove — with the stored tenant keys', async () => {
    const run = (argv: string[]) => runRegister(parseArgs(argv), env(), h.deps.fetch);
    // 8 hosted items: the 7 pods, tabs and menu entry, plus the company screen's "Pax8 Board" tab (issue 11).
    expect((await run(['--dry-run'])).counts.create).toBe(8);
    expect((await run([])).counts.create).toBe(8);
    const again = await run(['--tenant', 'http://127.0.0.1:8787/']);
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 8, 'missing-screen': 0, remove: 0 });
    expect(formatReport(again).split('\n')[0]).toBe('Registering https://pod.example.com');
    expect((await run(['--remove'])).counts.remove).toBe(8);
  });

  it('names an unknown tenant site', async () => {
    await expect(
      runRegister(parseArgs(['--tenant', 'eu.myconnectwise.net']), env(), h.deps.fetch),
    ).rejects.toThrow('No tenant for site eu.myconnectwise.net');
  });
});
