// Secrets never leave: setup, a session, a view, a plan and apply, a registration (and their failures) with
// known secret values; no response body, no log line, no error message and no report holds any of them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudHostOrigins, createApp } from '../../server/app.ts';
import { createLogger } from '../../server/log.ts';
import { formatReport } from '../../server/registration/register.ts';
import { createApi } from '../../server/routes/api.ts';
import { demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import {
  demoCustomers,
  demoProducts,
  pax8CompanyIdOf,
  pax8ProductIdOf,
} from '../../server/sandbox/demo/msp.ts';
import { demoPax8Credentials } from '../../server/sandbox/pax8/emulator.ts';
import { type Harness, harness, memberAuth, sandboxSetup } from './setup-harness.ts';

const ace = demoCustomers.find((c) => c.identifier === 'AceChemical')!;
const e3 = demoProducts.find((p) => p.key === 'o365e3')!;

let h: Harness;
let lines: string[];
/** Everything the upstreams were sent or gave that must stay secret: auth headers, access tokens. */
let upstreamSecrets: Set<string>;
let app: ReturnType<typeof createApp>;
/** When set, every upstream answers 500 with an HTML page. */
let failing = false;

beforeEach(async () => {
  h = await harness();
  lines = [];
  failing = false;
  upstreamSecrets = new Set();
  const logger = createLogger((l) => lines.push(l));
  const inner = h.deps.fetch;
  const spying: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const auth = headers.get('authorization');
    if (auth) {
      upstreamSecrets.add(auth);
      upstreamSecrets.add(auth.replace(/^\w+\s+/, ''));
    }
    if (failing) return new Response('<html><body>Bad gateway</body></html>', { status: 500 });
    const res = await inner(input, init);
    if (/\/token$/.test(new URL(input instanceof Request ? input.url : String(input)).pathname)) {
      const body = (await res.clone().json()) as { access_token?: string };
      if (body.access_token) upstreamSecrets.add(body.access_token);
    }
    return res;
  };
  app = createApp({
    env: { HOST_ORIGINS: [], SANDBOX: true },
    logger,
    now: h.deps.now,
    distDir: import.meta.dirname,
    api: createApi({ ...h.deps, fetch: spying, logger, hostOrigins: cloudHostOrigins }),
  });
});
afterEach(() => h.close());

const wrongKey = 'Wrong-Private-Key-7f3a9c';
const wrongSecret = 'wrong-pax8-secret-5e1d22';
const wrongHash = 'wrong-member-hash-9b8c7d';
const secrets = () => [
  demoCwCredentials.privateKey,
  demoCwCredentials.member.hash,
  demoPax8Credentials.clientSecret,
  wrongKey,
  wrongSecret,
  wrongHash,
  ...upstreamSecrets,
];

async function call(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(`http://127.0.0.1:8787${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) };
}

describe('secrets', () => {
  it('appear in no response, log line, error message or registration report', async () => {
    const bodies: string[] = [];
    const keep = <T extends { text: string }>(r: T) => {
      bodies.push(r.text);
      return r;
    };

    // Failures first: a wrong key, a wrong Pax8 secret, a wrong member hash.
    const badKey = keep(await call('POST', '/api/setup/test', sandboxSetup({ privateKey: wrongKey })));
    expect(badKey.json.ok).toBe(false);
    const badPax8 = keep(
      await call(
        'POST',
        '/api/setup/test',
        sandboxSetup({ pax8: { clientId: 'x', clientSecret: wrongSecret } }),
      ),
    );
    expect(badPax8.json.ok).toBe(false);

    const saved = keep(await call('POST', '/api/setup', sandboxSetup()));
    expect(saved.json.saved).toBe(true);
    const badHash = keep(
      await call(
        'POST',
        '/api/session',
        memberAuth({ tenantKey: await h.tenantKey(), memberHash: wrongHash }),
      ),
    );
    expect(badHash.status).toBeGreaterThanOrEqual(400);
    const session = keep(await call('POST', '/api/session', memberAuth({ tenantKey: await h.tenantKey() })));
    expect(session.status).toBe(200);
    const token = session.json.token as string;

    keep(await call('GET', '/api/setup', undefined, token));
    keep(await call('GET', '/api/pod-config'));
    const bound = keep(
      await call(
        'POST',
        '/api/bindings/company',
        { cwCompanyId: ace.cwId, pax8CompanyId: pax8CompanyIdOf(ace) },
        token,
      ),
    );
    expect(bound.status).toBe(201);
    keep(
      await call(
        'POST',
        '/api/bindings/product',
        { pax8ProductId: pax8ProductIdOf(e3), billingTerm: 'Monthly', cwCatalogId: e3.cwCatalogId },
        token,
      ),
    );
    const agreement = [...h.cw.data.tables.agreements.rows.values()].find((a) => a.name === 'Ace Monthly')!;
    const view = keep(await call('GET', `/api/views/agreement/${agreement.id}`, undefined, token));
    expect(view.status).toBe(200);
    const row = view.json.rows.find(
      (r: { subscription: { productId: string } }) => r.subscription.productId === pax8ProductIdOf(e3),
    );
    const plan = keep(
      await call(
        'POST',
        '/api/sync/plan',
        { subscriptionId: row.subscription.id, agreementId: agreement.id },
        token,
      ),
    );
    expect(plan.status).toBe(200);
    const applied = keep(await call('POST', '/api/sync/apply', { planId: plan.json.planId }, token));
    expect(applied.status).toBe(200);
    keep(await call('GET', `/api/subscriptions/${row.subscription.id}/history`, undefined, token));
    keep(await call('GET', '/api/bindings', undefined, token));
    const registered = keep(await call('POST', '/api/setup/register', undefined, token));
    expect(registered.status).toBe(200);
    bodies.push(formatReport(registered.json));

    // Upstreams that fail (logged as 5xx): their messages are ours to show, their credentials are not.
    failing = true;
    const down = keep(await call('GET', `/api/views/agreement/${agreement.id}`, undefined, token));
    expect(down.status).toBeGreaterThanOrEqual(500);
    expect(down.json.error.code).toMatch(/^upstream_/);
    keep(await call('GET', '/api/audit/unsynced', undefined, 'not-a-token'));

    expect(upstreamSecrets.size).toBeGreaterThanOrEqual(3); // CW basic auth, its base64, a Pax8 access token
    expect(lines.length).toBeGreaterThan(0);
    // Our own session token goes to the browser (that is its job) but never into a log line.
    for (const line of lines) expect(line).not.toContain(token);
    const everything = [...bodies, ...lines];
    for (const secret of secrets()) {
      for (const text of everything)
        expect(text.includes(secret), `${secret} in ${text.slice(0, 200)}`).toBe(false);
    }
  });

  it('are sealed at rest: no column of the tenants table holds them in clear', async () => {
    expect((await call('POST', '/api/setup', sandboxSetup())).json.saved).toBe(true);
    const rows = await h.store.db.selectFrom('tenants').selectAll().execute();
    const text = JSON.stringify(rows);
    expect(text).toContain(demoCwCredentials.publicKey);
    expect(text).not.toContain(demoCwCredentials.privateKey);
    expect(text).not.toContain(demoPax8Credentials.clientSecret);
  });

  it('live mode: registration never takes the pod URL from the Host header, only PUBLIC_URL', async () => {
    const saved = await call('POST', '/api/setup', sandboxSetup());
    expect(saved.json.saved).toBe(true);
    const { publicUrl: _, ...rest } = h.deps;
    const live = createApp({
      env: { HOST_ORIGINS: [], SANDBOX: false },
      logger: createLogger(() => {}),
      now: h.deps.now,
      distDir: import.meta.dirname,
      api: createApi({ ...rest, sandbox: false }),
    });
    const res = await live.request('http://evil.example/api/setup/register', {
      method: 'POST',
      headers: { authorization: `Bearer ${saved.json.token}` },
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_configured');
    expect(JSON.stringify([...(h.cw.data.tables.hostedSetups?.rows.values() ?? [])])).not.toContain('evil');
  });

  it("a session of tenant A that sets up tenant B with B's keys gets back a token of B, not A's again", async () => {
    const a = await call('POST', '/api/setup', sandboxSetup());
    const b = await call('POST', '/api/setup', sandboxSetup({ region: 'eu', siteUrl: '' }), a.json.token);
    expect([b.status, b.json.saved]).toEqual([200, true]);
    expect(b.json.tenant.id).not.toBe(a.json.tenant.id);
    const seen = await call('GET', '/api/setup', undefined, b.json.token);
    expect([seen.json.id, seen.json.cwSite]).toEqual([b.json.tenant.id, 'eu.myconnectwise.net']);
    const stillA = await call('GET', '/api/setup', undefined, a.json.token);
    expect(stillA.json.id).toBe(a.json.tenant.id);
  });
});
