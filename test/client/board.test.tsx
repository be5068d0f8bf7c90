// The reconciliation board in the app (happy-dom, over a fake /api): the board is the home tab; what was
// checked and the money at the top; "Recomputing…" over the board shown; filters as the server reads them;
// a checkbox per row, the page, and "everything out of step" under the filters; Review selected (N) hands the
// items to the bulk review, and after an apply the rows it did leave the selection (failed ones stay); the CSV
// export asks for the filtered board.
import { signal } from '@preact/signals';
import { render } from 'preact';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { AppShell } from '../../client/app/app-shell.tsx';
import { BoardSection, centsText } from '../../client/app/board-section.tsx';
import { bulkItems } from '../../client/app/bulk-bridge.ts';
import { createAppRoot } from '../../client/state/app-root-model.ts';
import { createBoardModel, queryString } from '../../client/state/board-model.ts';
import type { SessionModel } from '../../client/state/session-model.ts';
import { BulkPlanRequestSchema } from '../../server/routes/bulk.ts';
import { signedIn } from './app-fakes.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { FakePodServer, flush } from './pod-fakes.ts';

const host = useMountPoint();
afterEach(() => {
  bulkItems.value = null;
});

const E3 = '11111111-1111-4111-8111-111111111111';
const DROP = '22222222-2222-4222-8222-222222222222';
const AZURE = '33333333-3333-4333-8333-333333333333';

const month = (will: number, should: number, cost: number, leak: number) => ({
  month: '2020-10',
  will,
  should,
  costCents: cost,
  costSource: 'draft',
  leakSeats: leak,
  leakCents: leak * 2000,
});

function rowOf(id: string, over: Record<string, unknown>) {
  return {
    subscriptionId: id,
    pax8CompanyId: 'p-ace',
    companyName: 'Ace Chemical Processing Plant',
    cwCompanyId: 250,
    agreementId: 1,
    productId: 'prod',
    productName: 'Product',
    billingTerm: 'Monthly',
    charge: 'month',
    chargeWords: 'a month',
    quantity: 2,
    status: 'synced',
    ignored: false,
    month: '2020-10',
    months: [month(5000, 5000, 4000, 0)],
    willCents: 5000,
    shouldCents: 5000,
    differenceCents: 0,
    costCents: 4000,
    costSource: 'draft',
    marginCents: 1000,
    marginAfterSyncCents: 1000,
    marginPercent: 20,
    belowMarginFloor: false,
    leakSeats: 0,
    leakCents: 0,
    message: '',
    ...over,
  };
}

const noUpFront = {
  rows: 0,
  notBilledCents: 0,
  billedTwiceCents: 0,
  overBilledCents: 0,
  costCents: 0,
  willCents: 0,
  marginCents: 0,
};
const totals = (statement: string, upFront = noUpFront) => ({
  rows: 3,
  outOfStep: 2,
  notBilledCents: 5000,
  billedTwiceCents: 8000,
  overBilledCents: 0,
  costCents: 4500,
  willCents: 8800,
  marginCents: 4300,
  leakSeats: 2,
  leakCents: 4000,
  upFront,
  belowMarginFloor: 1,
  statement,
});

function boardOf(over: Record<string, unknown> = {}) {
  return {
    computedAt: '2020-09-20T12:00:00.000Z',
    refreshedAt: '2020-09-20T12:00:00.000Z',
    recomputing: false,
    refreshing: 0,
    lastError: null,
    marginFloorPercent: 25,
    checked: {
      subscriptions: 91,
      companies: 28,
      onBoard: 3,
      statement: 'Checked 91 Pax8 subscriptions of 28 companies: 3 are on a bound company.',
    },
    months: ['2020-10', '2020-11'],
    rows: [
      rowOf(DROP, {
        productName: 'Dropsuite Business Backup',
        status: 'double_billed',
        willCents: 8800,
        shouldCents: 800,
        differenceCents: -8000,
        costCents: 500,
        marginAfterSyncCents: 300,
        marginPercent: 37.5,
      }),
      rowOf(E3, {
        productName: 'Office 365 E3',
        status: 'never_synced',
        willCents: 0,
        shouldCents: 5000,
        differenceCents: 5000,
        marginCents: -4000,
        belowMarginFloor: true,
        leakSeats: 2,
        leakCents: 4000,
        months: [month(0, 5000, 4000, 2)],
      }),
      rowOf(AZURE, {
        productName: 'Azure Plan',
        status: 'arrears',
        month: null,
        months: [],
        leakSeats: null,
        leakCents: null,
      }),
    ],
    totals: totals('$50.00 a month not billed, $80.00 billed twice'),
    filteredTotals: totals('$50.00 a month not billed, $80.00 billed twice'),
    page: { offset: 0, limit: 100, returned: 3, matched: 3 },
    ...over,
  };
}

function fakeServer(answers: Record<string, unknown>[] = [boardOf()]) {
  const server = new FakePodServer();
  const queries: string[] = [];
  let n = 0;
  server.on('GET /api/board', (_b, url) => {
    queries.push(url.search);
    return { body: answers[Math.min(n++, answers.length - 1)] };
  });
  server.on('GET /api/board/selection', (_b, url) => {
    queries.push(`selection${url.search}`);
    return {
      body: {
        items: [
          { subscriptionId: DROP, agreementId: 1, companyId: 250, belowMarginFloor: false },
          { subscriptionId: E3, agreementId: 1, companyId: 250, belowMarginFloor: true },
        ],
        leftOut: { product_not_bound: 2, company_not_bound: 1 },
      },
    };
  });
  server.on('GET /api/board/export.csv', (_b, url) => {
    queries.push(`export${url.search}`);
    return { body: null, text: 'Customer,Product\r\nAce,E3\r\n' };
  });
  server.on('POST /api/board/recompute', () => ({ status: 202, body: {} }));
  return { server, queries };
}

/** A scheduler the test runs by hand: what the model would run after its delay. */
function manualClock() {
  const due: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => {
      due.push(fn);
      return () => {
        const at = due.indexOf(fn);
        if (at >= 0) due.splice(at, 1);
      };
    },
    runAll: () => {
      for (const fn of due.splice(0)) fn();
    },
    get pending() {
      return due.length;
    },
  };
}

const button = (name: string) =>
  [...host.querySelectorAll('button')].find((b) => text(b) === name) as HTMLButtonElement | undefined;

describe('board model', () => {
  it('sends the filters as the server reads them', () => {
    expect(
      queryString(
        {
          q: ' ace ',
          status: 'out_of_step',
          term: 'Monthly',
          minAmount: '25',
          sort: 'margin',
          company: '250',
          offset: 100,
        },
        true,
      ),
    ).toBe('q=ace&status=out_of_step&term=Monthly&minAmount=25&company=250&sort=margin&limit=100&offset=100');
    expect(
      queryString(
        { q: '', status: 'all', term: '', minAmount: '', sort: 'money', company: '', offset: 0 },
        false,
      ),
    ).toBe('sort=money');
  });

  it('reads the board again while the server recomputes, keeping the board shown', async () => {
    const { server, queries } = fakeServer([boardOf({ recomputing: true }), boardOf()]);
    const clock = manualClock();
    const model = createBoardModel({ api: server.api(), schedule: clock.schedule });
    await model.load();
    expect(model.state.value.status).toBe('ready');
    expect(clock.pending).toBe(1);
    clock.runAll();
    await flush();
    expect(queries).toEqual(['?sort=money&limit=100', '?sort=money&limit=100']);
    expect(clock.pending).toBe(0);
  });

  it('selects rows, the page, and everything out of step under the filters; hands over the items', async () => {
    const { server, queries } = fakeServer();
    const clock = manualClock();
    const model = createBoardModel({ api: server.api(), schedule: clock.schedule, company: 250 });
    await model.load();
    const state = model.state.value;
    if (state.status !== 'ready') throw new Error('not ready');
    const [drop, e3] = state.board.rows;
    model.toggle(e3!);
    expect(model.selectedItems()).toEqual([{ subscriptionId: E3, agreementId: 1, companyId: 250 }]);
    expect(model.selectedBelowFloor.value).toBe(1);
    model.toggle(e3!);
    model.togglePage(true);
    expect(model.selectedCount.value).toBe(3);
    model.togglePage(false);
    expect(model.selectedCount.value).toBe(0);
    model.toggle(drop!);
    model.set({ term: 'Monthly' });
    await model.selectOutOfStep();
    expect(queries.at(-1)).toBe('selection?status=out_of_step&term=Monthly&company=250&sort=money');
    expect(model.selectedItems().map((i) => i.subscriptionId)).toEqual([DROP, E3]);
    expect(model.leftOutNote.value).toBe(
      '3 left out, the bulk review cannot sync them: 2 whose product is not bound, 1 whose company is not bound (bind them first).',
    );
    expect(model.announcement.value).toBe(`2 rows out of step selected. ${model.leftOutNote.value}`);
    model.clearSelection();
    expect(model.leftOutNote.value).toBe('');
  });
});

describe('board section', () => {
  function mount(answers?: Record<string, unknown>[]) {
    const { server, queries } = fakeServer(answers);
    const clock = manualClock();
    const model = createBoardModel({ api: server.api(), schedule: clock.schedule });
    render(<BoardSection model={model} />, host);
    return { model, queries, clock };
  }

  it('offers every Pax8 billing term in the Term filter and asks the server for the one chosen', async () => {
    const { model, queries } = mount();
    await model.load();
    await flush();
    const select = [...host.querySelectorAll('label')]
      .find((l) => text(l).startsWith('Term'))
      ?.querySelector('select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual([
      '',
      'Monthly',
      'Annual',
      '2-Year',
      '3-Year',
      'One-Time',
      'Activation',
      'Trial',
      'Arrears',
    ]);
    select.value = 'One-Time';
    select.dispatchEvent(new Event('change'));
    await flush();
    expect(queries.at(-1)).toBe('?term=One-Time&sort=money&limit=100');
  });

  it('says a charge up front as one: its term under its figure, its money apart at the top', async () => {
    const upFront = {
      rows: 1,
      notBilledCents: 396000,
      billedTwiceCents: 0,
      overBilledCents: 0,
      costCents: 324000,
      willCents: 0,
      marginCents: -324000,
    };
    const statement =
      '$50.00 a month not billed, $80.00 billed twice; $3,960.00 of up-front charges not billed';
    const base = boardOf();
    const { model } = mount([
      boardOf({
        rows: [
          ...base.rows,
          rowOf('44444444-4444-4444-8444-444444444444', {
            productName: 'Office 365 E3',
            billingTerm: '3-Year',
            charge: 'period',
            chargeWords: 'per 3 years, up front',
            quantity: 5,
            status: 'never_synced',
            willCents: 0,
            shouldCents: 396000,
            differenceCents: 396000,
            costCents: 324000,
            costSource: 'subscription',
            marginCents: -324000,
            marginAfterSyncCents: 72000,
            marginPercent: 18.18,
            leakSeats: null,
            leakCents: null,
          }),
        ],
        totals: totals(statement, upFront),
        filteredTotals: totals(statement, upFront),
      }),
    ]);
    await model.load();
    await flush();
    expect(text(host.querySelector('.board-totals strong'))).toBe(statement);
    expect(text(host.querySelector('.board-totals'))).toContain(
      'Pax8 cost $45.00 · margin $43.00 · leakage 2 seats ($40.00) · charged up front or once: Pax8 cost $3,240.00, margin -$3,240.00',
    );
    const cells = [...(host.querySelectorAll('tbody tr')[3]?.querySelectorAll('td') ?? [])].map((c) =>
      text(c),
    );
    // Not billed: the term's charge, said as one; the monthly rows say nothing more.
    expect(cells.slice(2, 12)).toEqual([
      '3-Year',
      '5',
      'Never synced',
      '2020-10',
      '$0.00',
      '$3,960.00',
      '$3,960.00' + 'per 3 years, up front',
      '$3,240.00*',
      '$720.00' + '18.2%',
      '—',
    ]);
    expect(host.querySelectorAll('.board-charge')).toHaveLength(1);
  });

  it('says when it was computed, what it checked and the money at the top; one row per subscription', async () => {
    const { model } = mount();
    await model.load();
    await flush();
    expect(text(host.querySelector('.app-checked p'))).toBe(
      'Computed 09/20/2020 12:00 UTC. Checked 91 Pax8 subscriptions of 28 companies: 3 are on a bound company.',
    );
    expect(text(host.querySelector('.board-totals strong'))).toBe(
      '$50.00 a month not billed, $80.00 billed twice',
    );
    expect(text(host.querySelector('.board-totals'))).toContain('1 below the 25% margin floor');
    const rows = [...host.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].slice(1).map((c) => text(c)),
    );
    expect(rows[1]).toEqual([
      'Ace Chemical Processing PlantCW #250 · agreement #1',
      'Office 365 E3',
      'Monthly',
      '2',
      'Never synced',
      '2020-10',
      '$0.00',
      '$50.00',
      '$50.00',
      '$40.00',
      '$10.00' + '20.0%' + 'below floor',
      '2 · $40.00',
    ]);
    expect(rows[2]?.at(-1)).toBe('—');
    const boxes = [...host.querySelectorAll('input[type="checkbox"]')].map((b) =>
      b.getAttribute('aria-label'),
    );
    expect(boxes).toEqual([
      'Select every row on this page',
      'Select Dropsuite Business Backup (Ace Chemical Processing Plant)',
      'Select Office 365 E3 (Ace Chemical Processing Plant)',
      'Select Azure Plan (Ace Chemical Processing Plant)',
    ]);
  });

  it('shows "Recomputing…" over the board it has, and Recompute is off meanwhile', async () => {
    const { model } = mount([boardOf({ recomputing: true })]);
    await model.load();
    await flush();
    expect(text(host.querySelector('.board-working'))).toBe('Recomputing…');
    expect(host.querySelectorAll('tbody tr')).toHaveLength(3);
    expect(button('Recompute')?.disabled).toBe(true);
  });

  it('Review selected (N) hands the selection to the bulk review, naming the rows below the floor', async () => {
    const { model } = mount();
    await model.load();
    await flush();
    expect(button('Review selected (0)')?.disabled).toBe(true);
    button('Select everything out of step')?.click();
    await flush();
    expect(text(host.querySelector('.board-actions .board-floor'))).toBe(
      '1 below the margin floor: the review asks to confirm them',
    );
    button('Review selected (2)')?.click();
    expect(bulkItems.value).toEqual([
      { subscriptionId: DROP, agreementId: 1 },
      { subscriptionId: E3, agreementId: 1 },
    ]);
    // Exactly what POST /api/bulk/plan takes (a strict object: the board's companyId was refused, 400).
    expect(v.safeParse(BulkPlanRequestSchema, { items: bulkItems.value }).success).toBe(true);
  });

  it('exports the filtered board as CSV', async () => {
    const { model, queries } = mount();
    await model.load();
    model.set({ status: 'below_margin_floor' });
    await flush();
    expect(await model.exportBoard()).toEqual({
      filename: 'pax8-board.csv',
      text: 'Customer,Product\r\nAce,E3\r\n',
    });
    expect(queries.at(-1)).toBe('export?status=below_margin_floor&sort=money');
  });

  it('money in cents prints exactly', () => {
    expect([centsText(128450), centsText(-8000), centsText(5), centsText(null)]).toEqual([
      '$1,284.50',
      '-$80.00',
      '$0.05',
      '—',
    ]);
  });
});

describe('the app', () => {
  it('opens on the board, the first tab', async () => {
    const { server } = fakeServer();
    const api = server.api();
    const root = createAppRoot({ api });
    const session = { state: signal(signedIn), retry: async () => {} } as unknown as SessionModel;
    render(<AppShell session={session} root={root} deps={{ api }} />, host);
    root.start();
    await flush();
    expect(root.nav.section.value).toBe('board');
    const tabs = [...host.querySelectorAll('[role="tab"]')].map((t) => text(t));
    expect(tabs[0]).toBe('Board');
    expect(host.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby')).toBe('app-tab-board');
    expect(server.count('GET /api/board')).toBe(1);
    expect(text(host.querySelector('.board-totals strong'))).toBe(
      '$50.00 a month not billed, $80.00 billed twice',
    );
  });
});

describe('the board after a bulk apply', () => {
  const JOB = '66666666-6666-4666-8666-666666666666';
  const line = (seq: number, subscriptionId: string) => ({
    id: `${seq}:rec`,
    seq,
    subscriptionId,
    productName: seq === 0 ? 'Dropsuite Business Backup' : 'Office 365 E3',
    title: 'Creating new ConnectWise addition (recurring)',
    kind: 'recurring',
    action: 'create',
    quantity: 1,
    unitPrice: '10.00',
    totalPrice: '10.00',
    totalCost: '8.00',
    marginPercent: '20.0',
    belowMarginFloor: false,
  });
  const jobOf = (state: 'running' | 'done') => ({
    id: JOB,
    kind: 'apply',
    state,
    total: 2,
    done: state === 'done' ? 1 : 0,
    failed: state === 'done' ? 1 : 0,
    waiting: 0,
    finished: state === 'done' ? 2 : 0,
    items: [
      [0, DROP, 'done'],
      [1, E3, 'failed'],
    ].map(([seq, subscriptionId, end]) => ({
      seq,
      state: state === 'done' ? end : 'pending',
      subscriptionId,
      agreementId: 1,
      lines: [{ id: `${seq}:rec`, key: 'rec', state: state === 'done' ? end : 'pending', additionId: null }],
    })),
  });

  it('unselects the rows the apply did and keeps the failed one selected, to try again', async () => {
    const { server } = fakeServer();
    server.on('POST /api/bulk/plan', () => ({
      body: {
        planId: 'b-plan-1',
        expiresAt: '2020-09-20T12:30:00.000Z',
        groups: [
          {
            agreementId: 1,
            agreementName: 'Ace Monthly',
            companyName: 'Ace Chemical Processing Plant',
            lines: [line(0, DROP), line(1, E3)],
            totals: { lines: 2, price: '20.00', cost: '16.00' },
          },
        ],
        refused: [],
        totals: { lines: 2, price: '20.00', cost: '16.00' },
        marginFloorPercent: null,
      },
    }));
    server.on('POST /api/bulk/jobs', () => ({ status: 202, body: jobOf('running') }));
    server.on(`GET /api/bulk/jobs/${JOB}`, () => ({ body: jobOf('done') }));
    const api = server.api();
    const root = createAppRoot({ api });
    const session = { state: signal(signedIn), retry: async () => {} } as unknown as SessionModel;
    render(<AppShell session={session} root={root} deps={{ api }} />, host);
    root.start();
    await flush();
    button('Select everything out of step')?.click();
    await flush();
    button('Review selected (2)')?.click();
    await flush(10);
    button('Confirm')?.click();
    await flush(20);
    expect(text(host)).toContain('Apply finished');
    button('Close')?.click();
    await flush(5);
    expect(root.board.selectedItems()).toEqual([{ subscriptionId: E3, agreementId: 1, companyId: 250 }]);
    expect(button('Review selected (1)')?.disabled).toBe(false);
    const box = (name: string) =>
      host.querySelector(
        `input[aria-label="Select ${name} (Ace Chemical Processing Plant)"]`,
      ) as HTMLInputElement;
    expect([box('Dropsuite Business Backup').checked, box('Office 365 E3').checked]).toEqual([false, true]);
  });
});
