// The front door the year-long property tests share: a sandbox runtime on a temp data dir, its emulated Pax8
// called with a fresh token per call (the emulator's tokens expire on the sandbox clock, which jumps weeks), the
// pod API with a signed session, and the sandbox clock moved forward (running the emulated CW invoicing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readEnv } from '../../server/env.ts';
import { silentLogger } from '../../server/log.ts';
import { createRuntime, listen } from '../../server/runtime.ts';
import { demoPax8Credentials, PAX8_AUDIENCE } from '../../server/sandbox/pax8/index.ts';

export async function startYearSandbox(prefix: string, start: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const env = readEnv({ SANDBOX: '1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SANDBOX_TODAY: start });
  const runtime = await createRuntime(env, {
    logger: silentLogger,
    now: () => new Date('2031-07-04T21:30:00Z'),
  });
  const server = await listen(runtime, '127.0.0.1', 0);
  const sandbox = runtime.sandbox!;
  const [tenant] = await runtime.ctx.repos.tenants.list();
  const pax8 = async (method: string, path: string, body?: unknown) => {
    const tokenRes = await sandbox.pax8.app.request('/v1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: demoPax8Credentials.clientId,
        client_secret: demoPax8Credentials.clientSecret,
        audience: PAX8_AUDIENCE,
        grant_type: 'client_credentials',
      }),
    });
    const pax8Token = ((await tokenRes.json()) as { access_token: string }).access_token;
    return sandbox.pax8.app.request(`/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${pax8Token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };
  const api = async (path: string, body: unknown) => {
    const { token } = await runtime.ctx.sessions.sign({
      tenantId: tenant!.id,
      memberId: 'jsmith',
      memberName: 'John Smith',
    });
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(200);
    return json;
  };
  let today = start;
  const moveTo = async (day: string) => {
    if (day <= today) return;
    const res = await fetch(`${server.url}/sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ today: day }),
    });
    expect(res.status).toBe(200);
    today = day;
  };
  const close = async () => {
    await server.close();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { runtime, server, sandbox, tenant: tenant!, pax8, api, moveTo, today: () => today, close };
}
