// Upstream garbage reaching the view and plan routes: for each upstream path the route reads, a wrong shape,
// HTML, a 200 with `null` or a truncated body gives a clear upstream_* error (502/503), never a 500 'internal';
// at setup and sign-in, garbage is a failed check or an upstream_* error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { silentLogger } from '../../server/log.ts';
import { createApi } from '../../server/routes/api.ts';
import { pax8CompanyIdOf } from '../../server/sandbox/demo/msp.ts';
import { ace, aceE3Subscription, now, productId } from './demo-fixtures.ts';
import { memberAuth, sandboxSetup, harness as setupHarness } from './setup-harness.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const e3 = productId('o365e3');

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now });
});
afterEach(() => h.close());

const json = (body: string) =>
  new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });

/** [name, the answer in place of the real one] */
const garbage: [string, () => Response][] = [
  [
    'HTML page',
    () => new Response('<html><body>Maintenance</body></html>', { headers: { 'content-type': 'text/html' } }),
  ],
  ['HTML labelled JSON', () => json('<html><body>Maintenance</body></html>')],
  ['200 null', () => json('null')],
  ['200 empty object', () => json('{}')],
  ['200 wrong types', () => json('{"id":"x","name":5,"quantity":"many","items":"no","page":"x"}')],
  ['200 array of junk', () => json('[{"id":"x"},null,7]')],
  ['truncated JSON', () => json('{"id": 1, "na')],
  ['empty body', () => new Response('', { status: 200 })],
];

/** [route name, the upstream path pattern bent, the route's request] */
type Target = [string, RegExp, () => ReturnType<Harness['call']>];

function targets(): Target[] {
  const agreementId = h.agreementNamed('Ace Monthly').id as number;
  const sub = aceE3Subscription(h.pax8.data).id;
  const view = () => h.call('GET', `/api/views/agreement/${agreementId}`);
  const company = () => h.call('GET', `/api/views/company/${ace.cwId}`);
  const plan = () => h.call('POST', '/api/sync/plan', { subscriptionId: sub, agreementId });
  const history = () => h.call('GET', `/api/subscriptions/${sub}/history`);
  const bind = () =>
    h.call('POST', '/api/bindings/company', { cwCompanyId: ace.cwId, pax8CompanyId: pax8CompanyIdOf(ace) });
  const catalog = () => h.call('GET', '/api/catalog?search=office');
  const pricing = () => h.call('GET', `/api/products/${e3}/pricing`);
  return [
    ['agreement view', /\/finance\/agreements\/\d+$/, view],
    ['agreement view', /\/additions$/, view],
    ['agreement view', /pax8\.test\/v1\/token$/, view],
    ['agreement view', /pax8\.test\/v1\/companies\/[^/]+$/, view],
    ['agreement view', /pax8\.test\/v1\/subscriptions$/, view],
    ['company view', /\/company\/companies\/\d+$/, company],
    ['company view', /\/finance\/agreements$/, company],
    ['plan', /\/finance\/agreements\/\d+$/, plan],
    ['plan', /pax8\.test\/v1\/subscriptions\/[^/]+$/, plan],
    ['plan', /\/history$/, plan],
    ['plan', /\/additions$/, plan],
    ['plan', /\/procurement\/catalog\/\d+$/, plan],
    ['history', /\/history$/, history],
    ['bind company', /\/company\/companies\/\d+$/, bind],
    ['catalog search', /\/procurement\/catalog$/, catalog],
    ['product pricing', /\/products\/[^/]+\/pricing$/, pricing],
  ];
}

const targetCount = 16;
/**
 * Pax8 answers that are not JSON are retried with backoff (1 s, 2 s, 4 s: a maintenance page may pass), so of
 * those (Pax8 targets × HTML / HTML as JSON / truncated) one case runs; the JSON-shaped garbage covers the rest.
 */
const slow = new Set([
  '2,0',
  '2,1',
  '2,6',
  '3,0',
  '3,1',
  '3,6',
  '4,1',
  '4,6',
  '8,0',
  '8,1',
  '8,6',
  '9,0',
  '9,1',
  '9,6',
  '12,0',
  '12,1',
  '12,6',
]);
const cases = Array.from({ length: targetCount }, (_, t) => garbage.map((_, g) => [t, g] as const))
  .flat()
  .filter(([t, g]) => !slow.has(`${t},${g}`));

describe('garbage from an upstream', () => {
  it.each(cases)(
    'target %i, garbage %i: an upstream_* error, never internal',
    async (t, g) => {
      const all = targets();
      expect(all).toHaveLength(targetCount);
      const [routeName, pattern, request] = all[t]!;
      const [what, answer] = garbage[g]!;
      let bent = 0;
      h.interceptUpstream(async (req, send) => {
        const url = new URL(req.url);
        if (!pattern.test(`${url.host}${url.pathname}`)) return send(req);
        bent++;
        return answer();
      });
      const res = await request();
      const row = `${routeName} | ${pattern.source} | ${what}`;
      expect(bent, `${row}: the bent path was called`).toBeGreaterThan(0);
      expect([row, res.status, res.json?.error?.code]).toEqual([
        row,
        expect.toSatisfy((s: number) => s === 502 || s === 503),
        expect.stringMatching(/^upstream_/),
      ]);
    },
    30_000,
  );
});

describe('garbage at setup and sign-in', () => {
  /** [body, status] every upstream answers with */
  const answers: [string, number][] = [
    ['<html>x</html>', 200],
    ['null', 200],
    ['[1,2]', 200],
    ['{"a', 200],
    ['', 200],
    ['<html>x</html>', 500],
    ['{"code":"NotFound","message":"no"}', 404],
    ['{"code":"InvalidObject","message":"no"}', 400],
  ];
  it.each(answers)(
    'every upstream answering %j (HTTP %i): a check that fails or an upstream_* error',
    async (body, status) => {
      const s = await setupHarness();
      try {
        expect((await s.post('/api/setup', sandboxSetup())).status).toBe(200);
        const garbageFetch: typeof fetch = async () =>
          new Response(body, { status, headers: { 'content-type': 'application/json' } });
        const app = createApp({
          env: { HOST_ORIGINS: [], SANDBOX: true },
          logger: silentLogger,
          now: s.deps.now,
          distDir: import.meta.dirname,
          api: createApi({ ...s.deps, fetch: garbageFetch }),
        });
        const post = async (path: string, json: unknown) => {
          const res = await app.request(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(json),
          });
          return {
            status: res.status,
            json: (await res.json()) as { ok?: boolean; error?: { code: string } },
          };
        };
        const test = await post('/api/setup/test', sandboxSetup());
        expect([test.status, test.json.ok]).toEqual([200, false]);
        const session = await post('/api/session', memberAuth({ tenantKey: await s.tenantKey() }));
        expect(session.status).toBeGreaterThanOrEqual(400);
        // 401 (CW refused the member) or upstream_*: never 'internal', never a 404 ("site not connected").
        expect(session.json.error?.code).toMatch(/^(unauthorized|upstream_\w+)$/);
      } finally {
        await s.close();
      }
    },
  );
});
