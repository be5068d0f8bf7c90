// The app's signals models against a fake /api: paging figures, the audit's load/ignore/restore, binding a
// company in place, and which section loads what.
import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { createAuditModel } from '../../client/state/app-audit-model.ts';
import { createCompaniesModel } from '../../client/state/app-companies-model.ts';
import { sectionOf } from '../../client/state/app-nav-model.ts';
import { createPaging } from '../../client/state/app-paging.ts';
import { createAppRoot } from '../../client/state/app-root-model.ts';
import { auditOf, companies, pageOf, subId, ZED } from './app-fakes.ts';
import { FakePodServer, flush } from './pod-fakes.ts';

describe('paging', () => {
  const list = signal(Array.from({ length: 42 }, (_, i) => i + 1));

  it.each([
    ['first page', [] as string[], '1 - 10 of 42', [1, 10], false, true],
    ['after next', ['next'], '11 - 20 of 42', [11, 20], true, true],
    ['last page', ['next', 'next', 'next', 'next'], '41 - 42 of 42', [41, 42], true, false],
    [
      'next past the end stays',
      ['next', 'next', 'next', 'next', 'next'],
      '41 - 42 of 42',
      [41, 42],
      true,
      false,
    ],
    ['previous at the start stays', ['previous'], '1 - 10 of 42', [1, 10], false, true],
    [
      '25 a page from the last page',
      ['next', 'next', 'next', 'next', 'size25'],
      '26 - 42 of 42',
      [26, 42],
      true,
      false,
    ],
    ['50 a page', ['size50'], '1 - 42 of 42', [1, 42], false, false],
  ])('%s: %s', (_name, steps, range, [first, last], hasPrevious, hasNext) => {
    const p = createPaging(list);
    for (const step of steps) {
      if (step === 'next') p.next();
      else if (step === 'previous') p.previous();
      else p.setSize(step === 'size25' ? 25 : 50);
    }
    expect(p.range.value).toBe(range);
    expect([p.rows.value[0], p.rows.value.at(-1)]).toEqual([first, last]);
    expect([p.hasPrevious.value, p.hasNext.value]).toEqual([hasPrevious, hasNext]);
  });

  it('clamps to the last page when the list shrinks, and says "0 of 0" when empty', () => {
    const rows = signal(Array.from({ length: 30 }, (_, i) => i));
    const p = createPaging(rows);
    p.next();
    p.next();
    expect(p.range.value).toBe('21 - 30 of 30');
    rows.value = rows.value.slice(0, 15);
    expect(p.range.value).toBe('11 - 15 of 15');
    rows.value = [];
    expect(p.range.value).toBe('0 of 0');
  });
});

describe('audit model', () => {
  function setup() {
    const server = new FakePodServer();
    let ignored: number[] = [];
    server.on('GET /api/audit/unsynced', () => ({ body: auditOf(12, ignored) }));
    server.on('POST /api/audit/ignore', (body) => {
      ignored = [...ignored, Number((body as { subscriptionId: string }).subscriptionId.slice(0, 8))];
      return { status: 201, body: { ignored: body } };
    });
    server.on('POST /api/audit/restore', (body) => {
      const id = Number((body as { subscriptionId: string }).subscriptionId.slice(0, 8));
      ignored = ignored.filter((n) => n !== id);
      return { body: { restored: body } };
    });
    return { server, model: createAuditModel({ api: server.api() }) };
  }

  it('loads, announces what was checked, and pages the non-arrears list', async () => {
    const { model } = setup();
    expect(model.state.value.status).toBe('loading');
    await model.load();
    expect(model.state.value.status).toBe('ready');
    expect(model.announcement.value).toBe(
      'Checked 13 Pax8 subscriptions of 1 company: 12 unsynced, 1 billed in arrears, 0 ignored, 0 synced, 0 ended.',
    );
    expect(model.nonArrears.range.value).toBe('1 - 10 of 12');
    expect(model.arrears.range.value).toBe('1 - 1 of 1');
    expect(model.ignored.range.value).toBe('0 of 0');
  });

  it.each([
    ['all', '', '1 - 10 of 12', 12],
    ['never_synced', '', '1 - 10 of 12', 12],
    ['product_not_bound', '', '0 of 0', 0],
    ['all', 'product 1', '1 - 4 of 4', 4],
    ['all', 'ace   product 12', '1 - 1 of 1', 1],
    ['all', '00000007', '1 - 1 of 1', 1],
  ] as const)('filter %s, search "%s" → %s', async (reason, search, range, matching) => {
    const { model } = setup();
    await model.load();
    model.nonArrears.next();
    model.setReasonFilter(reason);
    model.setSearch(search);
    expect(model.nonArrears.range.value).toBe(range);
    expect(model.matching.value).toBe(matching);
  });

  it('ignores once however often it is clicked, reloads, and restores', async () => {
    const { server, model } = setup();
    await model.load();
    const first = model.ignore(subId(3), '  billed on the MSA ');
    const second = model.ignore(subId(3));
    expect(model.pending.value.has(subId(3))).toBe(true);
    expect([await first, await second]).toEqual([true, false]);
    expect(server.bodies('POST /api/audit/ignore')).toEqual([
      { subscriptionId: subId(3), reason: 'billed on the MSA' },
    ]);
    expect(server.count('GET /api/audit/unsynced')).toBe(2);
    expect(model.pending.value.size).toBe(0);
    expect(model.nonArrears.range.value).toBe('1 - 10 of 11');
    expect(model.ignored.rows.value.map((r) => r.subscriptionId)).toEqual([subId(3)]);
    expect(model.announcement.value).toBe(
      'Ignored Product 3 (Ace Chemical Processing Plant). 11 unsynced, 1 ignored.',
    );

    expect(await model.restore(subId(3))).toBe(true);
    expect(server.bodies('POST /api/audit/restore')).toEqual([{ subscriptionId: subId(3) }]);
    expect(model.ignored.rows.value).toEqual([]);
    expect(model.announcement.value).toBe(
      'Restored Product 3 (Ace Chemical Processing Plant). 12 unsynced, 0 ignored.',
    );
  });

  it('reads the server’s pages on "Load more" until every row is here, and keeps them after an ignore', async () => {
    const server = new FakePodServer();
    let ignored: number[] = [];
    server.on('GET /api/audit/unsynced', (_, url) => ({ body: pageOf(auditOf(25, ignored), url, 10) }));
    server.on('POST /api/audit/ignore', (body) => {
      ignored = [...ignored, Number((body as { subscriptionId: string }).subscriptionId.slice(0, 8))];
      return { status: 201, body: { ignored: body } };
    });
    const model = createAuditModel({ api: server.api() });
    await model.load();
    expect([model.loaded.value, model.hasMore.value, model.nonArrears.range.value]).toEqual([
      10,
      true,
      '1 - 10 of 10',
    ]);
    expect(await model.loadMore()).toBe(true);
    expect(model.announcement.value).toBe('Loaded 20 of 26 rows.');
    expect(await model.loadMore()).toBe(true);
    expect([model.loaded.value, model.hasMore.value, model.nonArrears.range.value]).toEqual([
      26,
      false,
      '1 - 10 of 25',
    ]);
    expect(model.arrears.range.value).toBe('1 - 1 of 1');
    expect(await model.loadMore()).toBe(false);
    const urls = server.calls.filter((c) => c.path === '/api/audit/unsynced');
    expect(urls).toHaveLength(3);

    // An ignore reloads from the first page and reads on to as many rows as were shown.
    expect(await model.ignore(subId(24))).toBe(true);
    expect([model.loaded.value, model.hasMore.value, model.nonArrears.range.value]).toEqual([
      25,
      false,
      '1 - 10 of 24',
    ]);
    expect(model.ignored.rows.value.map((r) => r.subscriptionId)).toEqual([subId(24)]);
    const ids = model.state.value.status === 'ready' ? model.state.value.audit.nonArrears : [];
    expect(new Set(ids.map((r) => r.subscription.id)).size).toBe(24);
  });

  it('keeps the table and says why when an ignore is refused; a failed first load is an error', async () => {
    const { server, model } = setup();
    await model.load();
    server.on('POST /api/audit/ignore', () => ({
      status: 404,
      body: { error: { code: 'not_found', message: 'Subscription x was not found in Pax8' } },
    }));
    expect(await model.ignore(subId(1))).toBe(false);
    expect(model.state.value.status).toBe('ready');
    expect(model.actionError.value).toBe('Subscription x was not found in Pax8');
    expect(model.announcement.value).toBe('Subscription x was not found in Pax8');

    const failing = new FakePodServer();
    failing.on('GET /api/audit/unsynced', () => ({
      status: 503,
      body: { error: { code: 'upstream_unavailable', message: 'Pax8 is not answering' } },
    }));
    const broken = createAuditModel({ api: failing.api() });
    await broken.load();
    expect(broken.state.value).toEqual({ status: 'error', message: 'Pax8 is not answering' });
  });
});

describe('companies model', () => {
  function setup() {
    const server = new FakePodServer();
    server.on('GET /api/companies', () => ({ body: companies }));
    server.on('POST /api/bindings/company', (body) => ({ status: 201, body: { binding: body } }));
    return { server, model: createCompaniesModel({ api: server.api() }) };
  }

  it.each([
    ['all', '', 4],
    ['bound', '', 1],
    ['unbound', '', 3],
    ['all', 'cedar', 2],
    ['unbound', 'cedar law', 1],
    ['all', 'acechem', 1],
  ] as const)('filter %s, search "%s" → %i', async (filter, search, shown) => {
    const { model } = setup();
    await model.load();
    model.setFilter(filter);
    model.setSearch(search);
    expect(model.matching.value).toBe(shown);
  });

  it('binds in place: the row shows its Pax8 company and the match leaves the other rows', async () => {
    const { server, model } = setup();
    await model.load();
    expect(await model.bind(277, ZED)).toBe(true);
    expect(server.bodies('POST /api/bindings/company')).toEqual([{ cwCompanyId: 277, pax8CompanyId: ZED }]);
    expect(server.count('GET /api/companies')).toBe(1);
    const rows = model.paging.rows.value;
    expect(rows.find((r) => r.cwCompany.id === 277)).toMatchObject({
      pax8Company: { id: ZED, name: 'Cedar and Pine Law Office' },
      candidates: [],
    });
    expect(rows.find((r) => r.cwCompany.id === 280)?.candidates).toEqual([]);
    expect(model.bound.value.map((r) => r.cwCompany.id)).toEqual([250, 277]);
    expect(model.announcement.value).toBe(
      'Cedar & Pine Law Office is now bound to Cedar and Pine Law Office.',
    );
  });

  it('keeps the row unbound with the server’s reason when a bind is refused', async () => {
    const { server, model } = setup();
    await model.load();
    server.on('POST /api/bindings/company', () => ({
      status: 409,
      body: {
        error: { code: 'conflict', message: 'The ConnectWise company or the Pax8 company is already bound' },
      },
    }));
    expect(await model.bind(277, ZED)).toBe(false);
    expect(model.errors.value.get(277)).toBe('The ConnectWise company or the Pax8 company is already bound');
    expect(model.binding.value.size).toBe(0);
    expect(model.bound.value).toHaveLength(1);
  });
});

describe('app root', () => {
  it('loads the open section: the audit on every visit, the companies once', async () => {
    const server = new FakePodServer();
    server.on('GET /api/audit/unsynced', () => ({ body: auditOf(2) }));
    server.on('GET /api/companies', () => ({ body: companies }));
    const opened: unknown[] = [];
    const root = createAppRoot({
      api: server.api(),
      initial: { section: 'unsynced' },
      bridge: { openScreen: async (target) => void opened.push(target) },
    });
    const stop = root.start();
    await flush();
    expect([server.count('GET /api/audit/unsynced'), server.count('GET /api/companies')]).toEqual([1, 0]);
    root.nav.show('companies');
    root.nav.show('subscriptions');
    await flush();
    expect(server.count('GET /api/companies')).toBe(1);
    root.nav.show('unsynced');
    await flush();
    expect(server.count('GET /api/audit/unsynced')).toBe(2);

    root.openCompany(250);
    expect(opened).toEqual([{ screen: 'company', id: 250 }]);
    root.findCompany('Cedar and Pine Law Office');
    expect([root.nav.section.value, root.companies.filter.value, root.companies.search.value]).toEqual([
      'companies',
      'unbound',
      'Cedar and Pine Law Office',
    ]);
    stop();
  });

  it('loads nothing until signed in, then the open section, also after a failed first attempt', async () => {
    const server = new FakePodServer();
    server.on('GET /api/audit/unsynced', () => ({ body: auditOf(2) }));
    const root = createAppRoot({ api: server.api(), initial: { section: 'unsynced' } });
    const state = signal<{ status: string }>({ status: 'connecting' });
    const stop = root.startWhenSignedIn(state);
    state.value = { status: 'failed' };
    await flush();
    expect(server.calls).toEqual([]);
    state.value = { status: 'signed-in' };
    await flush();
    state.value = { status: 'signed-in' };
    await flush();
    expect(server.count('GET /api/audit/unsynced')).toBe(1);
    stop();
    root.nav.show('companies');
    await flush();
    expect(server.count('GET /api/companies')).toBe(0);
  });

  it.each([
    ['companies', 'companies'],
    ['subscriptions', 'subscriptions'],
    ['unsynced', 'unsynced'],
    // The board is the app's home (issue 11): no or an unknown section opens it.
    ['board', 'board'],
    ['bogus', 'board'],
    [null, 'board'],
  ])('section from the URL %s → %s', (raw, expected) => {
    expect(sectionOf(raw)).toBe(expected);
  });
});
