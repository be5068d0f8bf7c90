// Property: whatever the params, query and JSON body, every route of the app answers in bounded time, never
// 500, and every 4xx is { error: { code, message } }. One harness for the whole run (state builds up, as in
// production); fast-check prints the seed and the shrunk request of a failure. Bounded to ~30 s in all.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aceE3Subscription, now } from './demo-fixtures.ts';
import { apiRoutes, otherRoutes, type Route, routeName } from './route-table.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const routes = [...apiRoutes, ...otherRoutes];
/** One request may take this long (the emulators answer in milliseconds); longer is a hang. */
const HANG_MS = 5_000;
/** Per route and property; runs stop early past it so the whole file stays near 30 s. */
const TIME_LIMIT_MS = 400;
/** A test's own limit: the runs' time limit, plus one slow request, on a busy machine. */
const TEST_TIMEOUT_MS = 30_000;

let h: Harness;
let planBody: { subscriptionId: string; agreementId: number };
beforeAll(async () => {
  h = await createHarness({ now });
  planBody = {
    subscriptionId: aceE3Subscription(h.pax8.data).id,
    agreementId: h.agreementNamed('Ace Monthly').id as number,
  };
});
afterAll(() => h.close());

/** Every byte percent-encoded: any string (lone surrogates too) becomes a valid path segment. */
const encodeAll = (s: string) =>
  [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const segment = fc.oneof(
  fc.stringMatching(/^[\w.~-]{0,12}$/),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeAll),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('..', '.', '%2e%2e', '%00', '-1', '0', '1e309', '9007199254740993', `${'9'.repeat(40)}`),
);

const scalar = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '2020-09-01',
    '2020-10',
    '2020-02-30',
    '12.50',
    '-0.01',
    '1e3',
    'update',
    'create',
    'Monthly',
  ),
  fc.integer(),
  fc.double(),
);

/** Field names the API knows, so generated objects reach past "unknown key" into each field's rules. */
const knownKeys = [
  'subscriptionId',
  'agreementId',
  'options',
  'planId',
  'ignore',
  'cwCompanyId',
  'pax8CompanyId',
  'pax8ProductId',
  'billingTerm',
  'cwCatalogId',
  'price',
  'subcategoryId',
  'typeId',
  'description',
  'reason',
  'threshold',
  'updateOrCreate',
  'countChangeDay',
  'site',
  'companyid',
  'memberid',
  'memberHash',
  'companyId',
  'region',
  'siteUrl',
];

const isoDay = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2021-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const money = fc.integer({ min: 0, max: 10_000_000 }).map((c) => (c / 100).toFixed(2));
const orJunk = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: scalar });

/** The wizard's options, each key optional, mostly plausible values with some junk: deep into the planner. */
const planOptions = fc.record(
  {
    effectiveDate: orJunk(isoDay),
    mode: orJunk(fc.constantFrom('update', 'create')),
    description: orJunk(
      fc.oneof(
        fc.record({ kind: fc.constantFrom('short', 'long', 'existing') }),
        fc.record({ kind: fc.constant('custom'), text: fc.string({ maxLength: 80 }) }),
      ),
    ),
    quantity: orJunk(fc.integer({ min: 0, max: 200 })),
    unitPrice: orJunk(money),
    unitCost: orJunk(money),
    billCustomer: orJunk(fc.constantFrom('Billable', 'DoNotBill', 'NoCharge')),
    taxable: orJunk(fc.boolean()),
    threshold: orJunk(fc.boolean()),
    countChangeDay: orJunk(fc.boolean()),
    prorates: orJunk(
      fc.record(
        {
          exclude: fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }),
          edit: fc.dictionary(
            fc.string({ maxLength: 40 }),
            fc.record(
              {
                quantity: orJunk(fc.integer({ min: 0, max: 200 })),
                unitPrice: orJunk(money),
                effectiveDate: orJunk(isoDay),
              },
              { requiredKeys: [] },
            ),
            { maxKeys: 2 },
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    extraMonths: orJunk(
      fc.record({
        effectiveDate: isoDay,
        quantity: fc.integer({ min: 0, max: 200 }),
        startMonth: isoDay.map((d) => d.slice(0, 7)),
        months: fc.integer({ min: 0, max: 40 }),
        unitPrice: money,
      }),
    ),
  },
  { requiredKeys: [] },
);

/** The row's well-formed body with fields replaced and added, or any JSON at all. */
function bodyFor(r: Route): fc.Arbitrary<unknown> {
  const plan = r.path === '/api/sync/plan';
  const base = plan ? planBody : ((r.body ?? {}) as Record<string, unknown>);
  const mutated = fc
    .dictionary(fc.constantFrom(...Object.keys(base), ...knownKeys), scalar, { maxKeys: 3 })
    .map((fields) => ({ ...base, ...fields }));
  if (!plan) return fc.oneof(mutated, fc.jsonValue({ maxDepth: 3 }));
  // The plan's real ids with generated options, most of the time: that is where the money is.
  return fc.oneof(
    { weight: 6, arbitrary: planOptions.map((options) => ({ ...planBody, options })) },
    { weight: 1, arbitrary: mutated },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

function pathFor(r: Route): fc.Arbitrary<string> {
  const [path, query = ''] = r.path.split('?') as [string, string?];
  const knownParams = [...new URLSearchParams(query).keys(), 'search', 'limit', 'dryRun', 'remove', 'id'];
  return fc
    .tuple(
      fc.array(segment, { minLength: 1, maxLength: 1 }),
      fc.dictionary(
        fc.oneof(fc.constantFrom(...knownParams), fc.string({ maxLength: 8 })),
        fc.string({ maxLength: 30 }),
        {
          maxKeys: 3,
        },
      ),
    )
    .map(([[id], params]) => {
      // An id segment (numeric or uuid) is replaced; other paths keep their shape.
      const fuzzed = path.replace(/\/(\d+|[0-9a-f-]{36})(?=\/|$)/, `/${id}`);
      const search = new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(query)), ...params });
      return `${fuzzed}?${search}`;
    });
}

async function answer(method: string, path: string, body: unknown) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${h.token}` } };
  if (method !== 'GET') {
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${method} ${path} hung for ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    const res = await Promise.race([h.app.request(`http://pod.test${path}`, init), hang]);
    const text = await Promise.race([res.text(), hang]);
    return { status: res.status, text };
  } finally {
    clearTimeout(timer);
  }
}

function check(method: string, path: string, res: { status: number; text: string }) {
  expect([method, path, res.status]).not.toEqual([method, path, 500]);
  if (res.status >= 400 && res.status < 500) {
    const json = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof json.error?.code, `${method} ${path} ${res.text}`).toBe('string');
    expect(typeof json.error?.message, `${method} ${path} ${res.text}`).toBe('string');
  }
}

const settings = { numRuns: 40, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false };

describe('fuzzing every route', () => {
  it.each(routes.map((r) => [routeName(r), r] as const))(
    '%s: params and query',
    async (_, r) => {
      await fc.assert(
        fc.asyncProperty(pathFor(r), async (path) =>
          check(r.method, path, await answer(r.method, path, r.body)),
        ),
        settings,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.each(routes.filter((r) => r.method !== 'GET').map((r) => [routeName(r), r] as const))(
    '%s: JSON body',
    async (_, r) => {
      // The plan body reaches the billing planner with real ids: it gets the most runs and time.
      const deep = r.path === '/api/sync/plan' ? { numRuns: 150, interruptAfterTimeLimit: 8_000 } : {};
      await fc.assert(
        fc.asyncProperty(bodyFor(r), async (body) =>
          check(r.method, r.path, await answer(r.method, r.path, body)),
        ),
        { ...settings, ...deep },
      );
    },
    TEST_TIMEOUT_MS,
  );
});
