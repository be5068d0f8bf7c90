// The authorization matrix that cannot miss a route: the routes are read from the app itself (createApp with
// the API mounted), and a route without a row in route-table.ts fails. Every row × no token, a forged
// signature, an expired token, `alg: none`, another tenant's token, the right token:
//   guarded routes:  401 / 401 / 401 / 401 / the other tenant's own answer or 403/404, never A's data / 2xx or 4xx
//   public routes:   the same answer whatever the token (a session neither opens nor closes them), never 401.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionSigner } from '../../server/session/jwt.ts';
import { aceE3Subscription, now } from './demo-fixtures.ts';
import { apiRoutes, otherRoutes, patternOf, type Route, routeName } from './route-table.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const routes = [...apiRoutes, ...otherRoutes];

/** A built-looking dist directory, so the pages answer 200 as in production. */
function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pod-dist-'));
  for (const page of ['pod', 'app', 'setup']) {
    mkdirSync(join(dir, page));
    writeFileSync(join(dir, page, 'index.html'), `<!doctype html><title>${page}</title>`);
  }
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
  return dir;
}

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now, distDir: fakeDist() });
});
afterEach(() => h.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** One token per column. The harness signs with key 9, issuer and audience 'test'. */
async function tokens() {
  const signer = (key: number, at: Date) =>
    createSessionSigner({
      key: new Uint8Array(32).fill(key),
      issuer: 'test',
      audience: 'test',
      ttlSeconds: 900,
      now: () => at,
    });
  const session = { tenantId: h.tenant.id, memberId: 'jsmith', memberName: 'John Smith' };
  const forged = (await signer(1, now).sign(session)).token;
  const expired = (await signer(9, new Date(now.getTime() - 1_000_000)).sign(session)).token;
  const exp = Math.floor(now.getTime() / 1000) + 600;
  const claims = { tid: h.tenant.id, sub: 'jsmith', name: 'John Smith', iss: 'test', aud: 'test', exp };
  const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
  const other = await h.addTenant('Contoso', 'cwb.test');
  const otherToken = await h.tokenFor(other.id, 'bmember');
  return { forged, expired, algNone, other: otherToken, right: h.token };
}

/** `token` goes as a Bearer token; `authorization` is sent as the whole header instead. */
async function send(r: Route, token?: string, authorization?: string) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (authorization) headers.authorization = authorization;
  const init: RequestInit = { method: r.method, headers };
  if (r.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(r.body);
  }
  const res = await h.app.request(`http://pod.test${r.path}`, init);
  const text = await res.text();
  return { status: res.status, text };
}

/** What a public route answers without a session (and, the test checks, with any token). */
const publicStatus: Record<string, number> = {
  'POST /api/session': 400, // the table's empty body: validation, not authorization
  'GET /api/pod-config': 400, // the table's path carries no tenant key (issue 12: nothing lists tenants)
  'GET /health': 200,
  'GET /ready': 200,
  'GET /metrics': 403, // loopback or METRICS_TOKEN only; app.request has no socket
  'GET /pod?screen=agreement&id=1': 200,
  'GET /app': 200,
  'GET /setup': 200,
  'GET /assets/app.js': 200,
  'GET /': 200,
};

describe('the table', () => {
  it('names every route the app has (a new route must join route-table.ts)', () => {
    // Middleware and catch-alls are registered as ALL; every real route has its method.
    const mounted = new Set(
      h.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
    const listed = new Set(routes.map(patternOf));
    expect([...mounted].sort()).toEqual([...listed].sort());
    expect(listed.size).toBe(routes.length);
  });
});

describe('every route × every credential', { timeout: 20_000 }, () => {
  it.each(routes.filter((r) => r.auth === 'required').map((r) => [routeName(r), r] as const))(
    '%s: none, forged, expired, alg none, malformed, not Bearer → 401, nobody upstream',
    async (_, r) => {
      const t = await tokens();
      const seen = [];
      for (const [column, token] of [
        ['none', undefined],
        ['forged', t.forged],
        ['expired', t.expired],
        ['alg none', t.algNone],
      ] as const) {
        const res = await send(r, token);
        seen.push([column, res.status, JSON.parse(res.text).error.code]);
      }
      for (const [column, header] of [
        ['malformed', 'Bearer a.b.c'],
        ['not Bearer', 'Basic abc'],
      ] as const) {
        const res = await send(r, undefined, header);
        seen.push([column, res.status, JSON.parse(res.text).error.code]);
      }
      expect(seen).toEqual([
        ['none', 401, 'unauthorized'],
        ['forged', 401, 'unauthorized'],
        ['expired', 401, 'unauthorized'],
        ['alg none', 401, 'unauthorized'],
        ['malformed', 401, 'unauthorized'],
        ['not Bearer', 401, 'unauthorized'],
      ]);
      expect(h.upstreamCalls).toEqual([]);
    },
  );

  it.each(routes.filter((r) => r.auth === 'optional').map((r) => [routeName(r), r] as const))(
    '%s: forged, expired, alg none → 401; no token is let through to validation',
    async (_, r) => {
      const t = await tokens();
      for (const token of [t.forged, t.expired, t.algNone]) expect((await send(r, token)).status).toBe(401);
      expect((await send(r)).status).toBe(400);
      expect(h.upstreamCalls).toEqual([]);
    },
  );

  it.each(routes.filter((r) => r.auth === 'none').map((r) => [routeName(r), r] as const))(
    '%s: public, the same answer whatever the token',
    async (_, r) => {
      const t = await tokens();
      const bare = await send(r);
      expect(bare.status).toBe(publicStatus[routeName(r)]);
      for (const token of [t.forged, t.expired, t.algNone, t.other, t.right])
        expect([token, (await send(r, token)).status]).toEqual([token, bare.status]);
    },
  );

  it.each(routes.filter((r) => r.auth !== 'none').map((r) => [routeName(r), r] as const))(
    "%s: another tenant's token never sees A's data; the right token is let in",
    async (_, r) => {
      // A has a plan and an ignored subscription; B is a second tenant with nothing of its own.
      const agreementId = h.agreementNamed('Ace Monthly').id as number;
      const sub = aceE3Subscription(h.pax8.data).id;
      const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: sub, agreementId });
      expect(plan.status).toBe(200);
      expect(
        (await h.call('POST', '/api/audit/ignore', { subscriptionId: sub, reason: 'A only' })).status,
      ).toBe(201);
      const t = await tokens();
      const aMarkers = [h.tenant.id, 'Northwind', plan.json.planId, 'A only', 'jsmith'];
      const asB = await send({ ...r, path: r.path.replace(/planId":"p"/, '') }, t.other);
      expect(asB.status).not.toBe(401);
      expect(asB.status).toBeLessThan(500);
      for (const marker of aMarkers) expect(asB.text, marker).not.toContain(marker);
      const asA = await send(r, t.right);
      expect([401, 403]).not.toContain(asA.status);
      expect(asA.status).toBeLessThan(500);
    },
  );

  it("another tenant's token on A's own records is 403 or 404", async () => {
    const agreementId = h.agreementNamed('Ace Monthly').id as number;
    const sub = aceE3Subscription(h.pax8.data).id;
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: sub, agreementId });
    await h.call('POST', '/api/audit/ignore', { subscriptionId: sub, reason: 'A only' });
    const t = await tokens();
    const cases: [string, string, unknown][] = [
      ['POST', '/api/sync/apply', { planId: plan.json.planId }],
      ['GET', `/api/subscriptions/${sub}/history`, undefined],
      ['POST', '/api/audit/restore', { subscriptionId: sub }],
    ];
    for (const [method, path, body] of cases) {
      const res = await send({ method, path, body, auth: 'required' }, t.other);
      expect([path, [403, 404].includes(res.status)]).toEqual([path, true]);
      expect(res.text).not.toContain(plan.json.planId);
    }
  });
});
