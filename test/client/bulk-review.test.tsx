// The bulk review over a fake /api (happy-dom): the board's rows → one review grouped by agreement, an ignored
// line leaves the totals (in cents), the margin floor needs its box, Confirm → a progressbar polling the job to
// its end with a result per line, a reopened page follows the job in the URL hash, and Undo with its review.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { bulkItems, openBulkReview } from '../../client/app/bulk-bridge.ts';
import { BulkHost } from '../../client/app/bulk-review.tsx';
import {
  amountOf,
  centsOf,
  createBulkModel,
  jobIdInHash,
  reviewItemsInHash,
} from '../../client/state/bulk-model.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { FakePodServer, flush, SUB_DEFENDER, SUB_E3 } from './pod-fakes.ts';

const host = useMountPoint();
const JOB = '55555555-5555-4555-8555-555555555555';

const line = (seq: number, key: string, kind: string, price: string, cost: string, below = false) => ({
  id: `${seq}:${key}`,
  seq,
  key,
  subscriptionId: seq === 0 ? SUB_E3 : SUB_DEFENDER,
  productName: seq === 0 ? 'Office 365 E3' : 'Defender',
  title: `Creating new ConnectWise addition (${kind})`,
  kind,
  action: 'create',
  quantity: 1,
  unitPrice: price,
  unitCost: cost,
  effectiveDate: '2020-10-01',
  cancelledDate: null,
  totalPrice: price,
  totalCost: cost,
  marginPercent: '20.0',
  belowMarginFloor: below,
});

const review = (below = false) => ({
  planId: 'b-plan-1',
  expiresAt: '2020-09-20T12:30:00.000Z',
  kind: 'apply',
  items: [],
  groups: [
    {
      agreementId: 290,
      agreementName: 'Ace Monthly',
      companyName: 'Ace Chemical Processing Plant',
      lines: [
        line(0, 'rec', 'recurring', '50.00', '40.00', below),
        line(0, 'pro', 'prorate', '17.50', '14.00'),
        line(0, 'ext', 'extra', '75.00', '60.00'),
      ],
      totals: { lines: 3, price: '142.50', cost: '114.00' },
    },
  ],
  refused: [
    {
      subscriptionId: SUB_DEFENDER,
      agreementId: 290,
      code: 'not_configured',
      message: 'Defender is not bound',
    },
  ],
  totals: { lines: 3, price: '142.50', cost: '114.00' },
  marginFloorPercent: below ? 25 : null,
});

const job = (finished: number, kind: 'apply' | 'undo' = 'apply') => ({
  id: JOB,
  kind,
  state: finished === 1 ? 'done' : 'running',
  total: 1,
  done: finished,
  failed: 0,
  waiting: 0,
  finished,
  items: [
    {
      seq: 0,
      state: finished === 1 ? 'done' : 'pending',
      subscriptionId: SUB_E3,
      agreementId: 290,
      lines: [
        { id: '0:rec', key: 'rec', state: finished ? 'done' : 'pending', additionId: finished ? 901 : null },
        { id: '0:pro', key: 'pro', state: 'ignored', additionId: null },
      ],
    },
  ],
});

function mount(opts: { below?: boolean; hash?: string } = {}) {
  const server = new FakePodServer();
  let polls = 0;
  server.on('POST /api/bulk/plan', () => ({ body: review(opts.below) }));
  server.on('POST /api/bulk/jobs', (body) => ({
    status: 202,
    body: (body as { planId: string }).planId === 'u-plan-1' ? job(0, 'undo') : job(0),
  }));
  server.on(`GET /api/bulk/jobs/${JOB}`, () => ({ body: job(++polls >= 2 ? 1 : 0) }));
  server.on(`POST /api/bulk/jobs/${JOB}/undo-plan`, () => ({
    body: {
      planId: 'u-plan-1',
      ofJobId: JOB,
      lines: [
        {
          id: 'u1',
          additionId: 901,
          agreementId: 290,
          action: 'remove',
          title: 'Remove addition 901',
          fields: [],
        },
        {
          id: 'u2',
          additionId: 77,
          agreementId: 290,
          action: 'restore',
          title: 'Restore addition 77',
          fields: [{ field: 'quantity', from: 3, to: 2 }],
        },
      ],
    },
  }));
  let hash = opts.hash ?? '';
  const model = createBulkModel({
    api: server.api(),
    hash: { get: () => hash, set: (v) => (hash = v) },
    sleep: () => flush(1),
  });
  return { server, model, hash: () => hash };
}

const checkbox = (label: string) =>
  [...host.querySelectorAll('input[type=checkbox]')].find((b) =>
    b.getAttribute('aria-label')?.startsWith(label),
  ) as HTMLInputElement | undefined;

describe('money in cents', () => {
  it.each([
    ['142.50', 14250],
    ['0.05', 5],
    ['-17.5', -1750],
    ['75', 7500],
  ])('%s → %i cents and back', (amount, cents) => {
    expect(centsOf(amount)).toBe(cents);
    expect(centsOf(amountOf(cents))).toBe(cents);
  });
});

describe('the bulk model', () => {
  it('reviews, ignores a line out of the totals, confirms, and polls the job to its end', async () => {
    const { server, model, hash } = mount();
    await model.plan([{ subscriptionId: SUB_E3, agreementId: 290 }]);
    expect(model.totals.value.overall).toEqual({ lines: 3, price: '142.50', cost: '114.00' });
    model.toggleLine('0:pro');
    expect(model.totals.value.overall).toEqual({ lines: 2, price: '125.00', cost: '100.00' });
    expect(model.totals.value.byAgreement.get(290)).toEqual({ lines: 2, price: '125.00', cost: '100.00' });
    await model.confirm();
    expect(server.bodies('POST /api/bulk/jobs')).toEqual([{ planId: 'b-plan-1', ignoredLineIds: ['0:pro'] }]);
    expect(hash()).toBe(`bulk-job=${JOB}`);
    await flush(10);
    expect(model.state.value.status).toBe('finished');
    expect(model.announcement.value).toBe('Apply finished: 1 of 1 done, 0 failed.');
  });

  it('refuses to confirm lines below the margin floor until they are confirmed', async () => {
    const { server, model } = mount({ below: true });
    await model.plan([{ subscriptionId: SUB_E3, agreementId: 290 }]);
    expect(model.belowFloor.value.map((l) => l.id)).toEqual(['0:rec']);
    await model.confirm();
    expect(server.count('POST /api/bulk/jobs')).toBe(0);
    expect(model.actionError.value).toContain('below the margin floor');
    model.setConfirmBelowFloor(true);
    await model.confirm();
    expect(server.bodies('POST /api/bulk/jobs')).toEqual([
      { planId: 'b-plan-1', ignoredLineIds: [], confirmBelowMarginFloor: true },
    ]);
  });

  it('sends the plan only the subscription × agreement pairs, whatever else the rows carry', async () => {
    const { server, model } = mount();
    const row = { subscriptionId: SUB_E3, agreementId: 290, companyId: 250 };
    await model.plan([row]);
    expect(server.bodies('POST /api/bulk/plan')).toEqual([
      { items: [{ subscriptionId: SUB_E3, agreementId: 290 }] },
    ]);
    expect(model.state.value.status).toBe('review');
  });

  it('polls only the items changed since the last answer, laid over the ones it has', async () => {
    const server = new FakePodServer();
    const item = (seq: number, state: string) => ({
      seq,
      state,
      subscriptionId: seq === 0 ? SUB_E3 : SUB_DEFENDER,
      agreementId: 290,
      lines: [{ id: `${seq}:rec`, key: 'rec', state, additionId: state === 'done' ? 900 + seq : null }],
    });
    const answer = (cursor: string, done: number, items: ReturnType<typeof item>[]) => ({
      ...job(0),
      state: done === 2 ? 'done' : 'running',
      total: 2,
      done,
      finished: done,
      cursor,
      items,
    });
    // The server's answers in turn: item 1 done (cursor 1), nothing new, then item 0 done and the job ends.
    const answers = [
      answer('1', 1, [item(1, 'done')]),
      answer('1', 1, []),
      answer('3', 2, [item(0, 'done')]),
    ];
    const asked: (string | null)[] = [];
    server.on('POST /api/bulk/plan', () => ({ body: review() }));
    server.on('POST /api/bulk/jobs', () => ({
      status: 202,
      body: answer('0', 0, [item(0, 'pending'), item(1, 'pending')]),
    }));
    server.on(`GET /api/bulk/jobs/${JOB}`, (_b, url) => {
      asked.push(url.searchParams.get('since'));
      return { body: answers[asked.length - 1] };
    });
    const model = createBulkModel({
      api: server.api(),
      hash: { get: () => '', set: () => {} },
      sleep: () => flush(1),
    });
    await model.plan([{ subscriptionId: SUB_E3, agreementId: 290 }]);
    await model.confirm();
    await flush(20);
    expect(asked).toEqual(['0', '1', '1']);
    const s = model.state.value;
    expect(s.status).toBe('finished');
    if (s.status !== 'finished') return;
    expect(s.job.items.map((i) => [i.seq, i.state, i.lines[0]?.additionId])).toEqual([
      [0, 'done', 900],
      [1, 'done', 901],
    ]);
    expect(model.announcement.value).toBe('Apply finished: 2 of 2 done, 0 failed.');
  });

  it('follows the job named in the URL hash (a reopened page)', async () => {
    expect(jobIdInHash(`#bulk-job=${JOB}`)).toBe(JOB);
    expect(jobIdInHash('#other')).toBeNull();
    expect(reviewItemsInHash(`#bulk-review=${SUB_E3}:290,${SUB_DEFENDER}:291,bad:1`)).toEqual([
      { subscriptionId: SUB_E3, agreementId: 290 },
      { subscriptionId: SUB_DEFENDER, agreementId: 291 },
    ]);
    expect(reviewItemsInHash('#bulk-review=bad')).toBeNull();
    const { server, model } = mount();
    await model.follow(JOB);
    expect(server.count(`GET /api/bulk/jobs/${JOB}`)).toBe(2);
    expect(model.state.value.status).toBe('finished');
  });
});

describe('the bulk review page', () => {
  it('keeps the last applied batch one click away once its review is closed, so it can still be undone', async () => {
    const { server, model } = mount();
    render(
      <BulkHost api={server.api()} model={model}>
        <p>board</p>
      </BulkHost>,
      host,
    );
    openBulkReview([{ subscriptionId: SUB_E3, agreementId: 290 }]);
    await flush(10);
    [...host.querySelectorAll('button')].find((b) => text(b) === 'Confirm')?.click();
    await flush(25);
    expect(host.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).toBe('1');
    [...host.querySelectorAll('button')].find((b) => text(b) === 'Close')?.click();
    await flush();
    expect(text(host)).toBe('Last batch: 1 of 1 done.Open the last batch (undo)…board');
    [...host.querySelectorAll('button')].find((b) => text(b) === 'Open the last batch (undo)…')?.click();
    await flush(10);
    expect(server.count(`GET /api/bulk/jobs/${JOB}`)).toBeGreaterThan(1);
    expect([...host.querySelectorAll('button')].map((b) => text(b))).toContain('Undo this batch…');
    bulkItems.value = null;
  });

  it('shows the review from the board, a progressbar to the end, the results, and the undo review', async () => {
    const { server, model } = mount();
    const finished: string[] = [];
    // Driven through the bridge, as the board does.
    render(
      <BulkHost api={server.api()} model={model} onFinished={(job) => finished.push(`${job.kind} ${job.id}`)}>
        <p>board</p>
      </BulkHost>,
      host,
    );
    expect(text(host)).toBe('board');
    openBulkReview([{ subscriptionId: SUB_E3, agreementId: 290 }]);
    await flush(10);
    expect(text(host.querySelector('caption'))).toBe(
      'Ace Chemical Processing Plant / Ace Monthly — $142.50 (3 line(s))',
    );
    expect(text(host)).toContain('Defender is not bound');
    checkbox('Ignore: Creating new ConnectWise addition (prorate)')?.click();
    await flush();
    expect(text(host.querySelector('caption'))).toBe(
      'Ace Chemical Processing Plant / Ace Monthly — $125.00 (2 line(s))',
    );
    [...host.querySelectorAll('button')].find((b) => text(b) === 'Confirm')?.click();
    await flush(3);
    const bar = host.querySelector('[role=progressbar]');
    expect(bar?.getAttribute('aria-valuemax')).toBe('1');
    await flush(20);
    expect(host.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).toBe('1');
    expect(text(host)).toContain('Written (addition 901)');
    // The board is told once the job ends (it reads the written rows again), once per job.
    expect(finished).toEqual([`apply ${JOB}`]);
    await flush(5);
    expect(finished).toHaveLength(1);
    [...host.querySelectorAll('button')].find((b) => text(b) === 'Undo this batch…')?.click();
    await flush(5);
    expect(text(host)).toContain('Remove addition 901');
    expect(text(host)).toContain('quantity: 3 → 2');
    [...host.querySelectorAll('button')].find((b) => text(b) === 'Confirm undo')?.click();
    await flush(5);
    expect(server.bodies('POST /api/bulk/jobs').at(-1)).toEqual({ planId: 'u-plan-1' });
    bulkItems.value = null;
  });
});
