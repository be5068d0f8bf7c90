// Captured logs: the real runtime (sandbox mode, a known APP_SECRET) on a loopback socket, every log line
// captured while the pod signs in (once wrongly), sets up, plans, applies and meets a failing ConnectWise.
// No line may carry a secret (ConnectWise private key, Pax8 client secret, APP_SECRET), a member hash, a
// bearer token or a Basic credential; every line written during a request names its request id.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../server/env.ts';
import { createLogger } from '../../server/log.ts';
import { createRuntime, listen, type Runtime } from '../../server/runtime.ts';
import { demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import { demoPax8Credentials } from '../../server/sandbox/pax8/index.ts';
import { aceE3Subscription } from './demo-fixtures.ts';

const APP_SECRET = 'log-test-app-secret-0123456789abcdefghij';
const lines: string[] = [];
let runtime: Runtime;
let server: Awaited<ReturnType<typeof listen>>;
const tokens: string[] = [];

beforeAll(async () => {
  const env = readEnv({
    SANDBOX: '1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'pod-logs-')),
    APP_SECRET,
    LOG_LEVEL: 'info',
  });
  runtime = await createRuntime(env, { logger: createLogger((l) => lines.push(l)) });
  server = await listen(runtime, '127.0.0.1', 0);
});
afterAll(() => server.close());

async function call(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: read by shape below
  return { status: res.status, json: (await res.json()) as any, requestId: res.headers.get('X-Request-Id') };
}

describe('captured logs', () => {
  it('carry no secret, hash or token through sign-in, setup, plan, apply and a failing upstream', async () => {
    const site = new URL(server.url).host;
    const tenant = await runtime.ctx.repos.tenants.findBySite(site, demoCwCredentials.companyId);
    const member = {
      tenantKey: tenant!.tenantKey,
      site,
      companyid: demoCwCredentials.companyId,
      memberid: demoCwCredentials.member.id,
      memberHash: demoCwCredentials.member.hash,
    };
    // A wrong hash first (a failed sign-in is logged), then the right one.
    const wrongHash = 'Wrong-Hash-0123456789abcdef';
    expect((await call('POST', '/api/session', { ...member, memberHash: wrongHash })).status).toBe(401);
    const session = await call('POST', '/api/session', member);
    expect(session.status).toBe(200);
    const token = session.json.token as string;
    tokens.push(token);

    // Setup: the connection test and a save, with every secret in the body.
    const setup = {
      companyId: demoCwCredentials.companyId,
      publicKey: demoCwCredentials.publicKey,
      privateKey: demoCwCredentials.privateKey,
      clientId: demoCwCredentials.clientId,
      region: 'sandbox',
      siteUrl: server.url,
      pax8: { clientId: demoPax8Credentials.clientId, clientSecret: demoPax8Credentials.clientSecret },
    };
    expect((await call('POST', '/api/setup/test', setup, token)).status).toBe(200);
    const saved = await call('POST', '/api/setup', setup, token);
    expect(saved.status).toBeLessThan(300);
    if (typeof saved.json.token === 'string') tokens.push(saved.json.token);

    // Plan and apply Ace Chemical's E3 on Ace Monthly.
    const subscription = aceE3Subscription(runtime.sandbox!.pax8.data);
    const agreement = [...runtime.sandbox!.cw.data.tables.agreements.rows.values()].find(
      (a) => a.name === 'Ace Monthly',
    )!;
    const plan = await call(
      'POST',
      '/api/sync/plan',
      { subscriptionId: subscription.id, agreementId: agreement.id },
      token,
    );
    expect(plan.status).toBe(200);
    expect((await call('POST', '/api/sync/apply', { planId: plan.json.planId }, token)).status).toBe(200);

    // ConnectWise failing: the view is a 503 (logged as a failed request).
    runtime.sandbox!.cw.faults.set({ serverErrorNext: 50 });
    const failed = await call('GET', `/api/views/agreement/${agreement.id}`, undefined, token);
    runtime.sandbox!.cw.faults.reset();
    expect(failed.status).toBe(503);

    const secrets = {
      'ConnectWise private key': demoCwCredentials.privateKey,
      'Pax8 client secret': demoPax8Credentials.clientSecret,
      APP_SECRET,
      'member hash': demoCwCredentials.member.hash,
      'wrong member hash': wrongHash,
      'Basic credential': Buffer.from(
        `${demoCwCredentials.companyId}+${demoCwCredentials.publicKey}:${demoCwCredentials.privateKey}`,
      ).toString('base64'),
      ...Object.fromEntries(tokens.map((t, i) => [`bearer token ${i + 1}`, t])),
      ...Object.fromEntries(tokens.map((t, i) => [`bearer token ${i + 1} signature`, t.split('.')[2]!])),
    };
    const messages = lines.map((l) => JSON.parse(l).msg);
    for (const msg of ['session opened', 'tenant saved', 'request failed']) expect(messages).toContain(msg);
    const text = lines.join('\n');
    for (const [what, secret] of Object.entries(secrets)) expect(text, what).not.toContain(secret);
    // The failed request's log lines name its request id.
    const failedLines = lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === failed.requestId);
    expect(failedLines.length).toBeGreaterThan(0);
  }, 30_000); // ConnectWise's failures are retried with backoff (a few seconds), more on a busy machine
});
