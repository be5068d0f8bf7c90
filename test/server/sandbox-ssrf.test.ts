// The running sandbox keeps its loopback emulators through the SSRF guard by an allow-list of its own origin
// (both loopback names), not by switching the guard off: another loopback port is still refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../server/env.ts';
import { silentLogger } from '../../server/log.ts';
import { createRuntime, listen } from '../../server/runtime.ts';
import { demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import { demoPax8Credentials } from '../../server/sandbox/pax8/emulator.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pod-sandbox-ssrf-'));
let server: Awaited<ReturnType<typeof listen>>;
const other = { hits: 0, port: 0, close: () => {} };

beforeAll(async () => {
  const env = readEnv({ SANDBOX: '1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  server = await listen(await createRuntime(env, { logger: silentLogger }), '127.0.0.1', 0);
  // Another service on loopback, answering like the sandbox would.
  const s = createServer((_req, res) => {
    other.hits++;
    res.setHeader('content-type', 'application/json');
    res.end('{"Codebase":"v4_6_release/"}');
  });
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  other.port = (s.address() as AddressInfo).port;
  other.close = () => s.close();
});
afterAll(async () => {
  await server.close();
  other.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const setupTest = (siteUrl: string) =>
  fetch(`${server.url}/api/setup/test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      companyId: demoCwCredentials.companyId,
      publicKey: demoCwCredentials.publicKey,
      privateKey: demoCwCredentials.privateKey,
      clientId: demoCwCredentials.clientId,
      region: 'sandbox',
      siteUrl,
      pax8: { clientId: demoPax8Credentials.clientId, clientSecret: demoPax8Credentials.clientSecret },
    }),
  }).then((res) => res.json());

describe('sandbox allow-list', () => {
  it('reaches its own emulators under both loopback names', async () => {
    for (const origin of [server.url, server.url.replace('127.0.0.1', 'localhost')]) {
      expect((await setupTest(origin)).ok).toBe(true);
    }
  });

  it('refuses another loopback port, before connecting', async () => {
    const body = await setupTest(`http://127.0.0.1:${other.port}`);
    expect(body.ok).toBe(false);
    expect(body.checks[0].message).toBe(
      `Not connecting to ConnectWise: 127.0.0.1:${other.port} is a private, loopback or otherwise internal address; this server connects only to public addresses.`,
    );
    expect(other.hits).toBe(0);
  });
});
