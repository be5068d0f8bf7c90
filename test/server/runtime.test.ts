// The wired product in sandbox mode: the sandbox tenant is seeded once listening (bindings, registered
// hosted setups), reseeded fresh on every start, and the host page has one canonical origin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRegister } from '../../server/cli/register-command.ts';
import { readEnv } from '../../server/env.ts';
import { silentLogger } from '../../server/log.ts';
import { createRuntime, listen } from '../../server/runtime.ts';
import { demoCustomers } from '../../server/sandbox/demo/msp.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string) {
  const env = readEnv({ SANDBOX: '1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const runtime = await createRuntime(env, { logger: silentLogger, today: '2026-11-20' });
  const server = await listen(runtime, '127.0.0.1', 0);
  return { runtime, server };
}

describe('sandbox runtime', () => {
  it('seeds one sandbox tenant with the demo bindings and registers the pod in the emulated ConnectWise', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pod-runtime-'));
    dirs.push(dataDir);
    const { runtime, server } = await start(dataDir);
    try {
      const tenants = await runtime.ctx.repos.tenants.list();
      expect(tenants.map((t) => [t.cwRegion, t.cwSite])).toEqual([['sandbox', new URL(server.url).host]]);
      const bound = demoCustomers.filter((c) => c.pax8 === 'bound').length;
      expect(await runtime.ctx.repos.companyBindings.list(tenants[0]!.id)).toHaveLength(bound);
      expect(JSON.stringify(await runtime.ctx.repos.tenants.get(tenants[0]!.id))).not.toContain(
        'DemoPrivateKey',
      );

      const setups = [...runtime.sandbox!.cw.data.tables.hostedSetups.rows.values()];
      const ours = setups.filter((s) =>
        String(s.url).startsWith(server.url.replace('127.0.0.1', 'localhost')),
      );
      // Three pods, three subscription tabs and the board's tab on the company screen (issue 11).
      expect(ours.map((s) => `${s.type}`).sort()).toEqual(['Pod', 'Pod', 'Pod', 'Tab', 'Tab', 'Tab', 'Tab']);

      // The CLI and the setup button use the same public URL as the boot: nothing left to register.
      const env = readEnv({ SANDBOX: '1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      const again = await runRegister({ dryRun: true, remove: false, help: false }, env);
      expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 8 });

      // The registered pod URLs carry the tenant's key; pod-config answers that tenant's origin for it.
      expect(
        ours.every((s) => /\/(pod|app)\?t=([^&]+)&/.exec(String(s.url))?.[2] === tenants[0]!.tenantKey),
      ).toBe(true);
      const config = await (await fetch(`${server.url}/api/pod-config?t=${tenants[0]!.tenantKey}`)).json();
      expect(config.hostOrigins).toEqual([server.url]);
      // The host page learns the key from the sandbox credentials (for its unregistered default frames).
      const creds = await (await fetch(`${server.url}/sandbox/credentials`)).json();
      expect(creds.tenantKey).toBe(tenants[0]!.tenantKey);
      const host = await fetch(
        `${server.url.replace('127.0.0.1', 'localhost')}/sandbox/host?screen=agreement`,
        {
          redirect: 'manual',
        },
      );
      expect(host.status).toBe(302);
      expect(host.headers.get('location')).toBe(`${server.url}/sandbox/host?screen=agreement`);
    } finally {
      await server.close();
    }
  });

  it('runs the product and both emulators on the sandbox clock set by SANDBOX_TODAY', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pod-runtime-'));
    dirs.push(dataDir);
    const env = readEnv({
      SANDBOX: '1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SANDBOX_TODAY: '2028-02-29',
    });
    const runtime = await createRuntime(env, {
      logger: silentLogger,
      now: () => new Date('2031-07-04T21:30:00Z'),
    });
    try {
      expect(runtime.ctx.now().toISOString()).toBe('2028-02-29T12:00:00.000Z');
      expect(runtime.sandbox!.clock.today()).toBe('2028-02-29');
      const ace = [...runtime.sandbox!.cw.data.tables.agreements.rows.values()].find(
        (a) => a.name === 'Ace Monthly',
      );
      expect(ace?.nextInvoiceDate).toBe('2028-03-01T00:00:00Z');
      const e3 = [...runtime.sandbox!.pax8.data.subscriptions.values()].find((r) =>
        r.history.some((h) => h.updatedDate.startsWith('2028-02-09')),
      );
      expect(e3).toBeDefined();
    } finally {
      await runtime.close();
    }
  });

  it('starts the sandbox tenant fresh on every start, since the emulators start fresh', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pod-runtime-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const [tenant] = await first.runtime.ctx.repos.tenants.list();
    await first.runtime.ctx.repos.ignored.ignore(tenant!.id, {
      subscriptionId: 'sub-1',
      reason: 'test',
      ignoredBy: 'me',
    });
    await first.server.close();

    const second = await start(dataDir);
    try {
      const tenants = await second.runtime.ctx.repos.tenants.list();
      expect(tenants).toHaveLength(1);
      expect(tenants[0]!.id).not.toBe(tenant!.id);
      expect(await second.runtime.ctx.repos.ignored.list(tenant!.id)).toEqual([]);
    } finally {
      await second.server.close();
    }
  });
});
