// The Subscription History as the guide shows it (issue 10 item 6), in the wizard: wide (the app, a tab) every
// column with links that open the covering addition's agreement in ConnectWise; the narrow pod a summary line;
// both read again after Confirm.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { eventCoverage, type HistoryChange, type HistoryEvent } from '../../client/state/history-model.ts';
import type { Plan } from '../../client/state/plan-schemas.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { FakePodServer, flush, guidePlan, SUB_E3 } from './pod-fakes.ts';

const root = useMountPoint();
const E3 = 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite';
const HISTORY = `GET /api/subscriptions/${SUB_E3}/history`;

const change = (
  date: string,
  quantity: number,
  previousQuantity: number,
  written: boolean,
): HistoryChange => ({
  date,
  quantity,
  previousQuantity,
  changeKey: `${date}#1`,
  coveredByRecurring: written,
  recurringAdditionId: written ? 683 : null,
  prorateAdditionId: written && date === '2020-09-09' ? 682 : null,
  synced: written && quantity <= previousQuantity,
});
const recurring = { kind: 'recurring', additionId: 683, agreementId: 290 };
const event = (e: Partial<HistoryEvent> & Pick<HistoryEvent, 'date' | 'action'>): HistoryEvent => ({
  fromQuantity: 0,
  toQuantity: 0,
  orderedBy: null,
  term: 'Monthly',
  billedAs: 'monthly',
  renews: null,
  status: 'Active',
  changeKey: null,
  synced: false,
  lines: [],
  ...e,
});

/** The guide's E3: 3 ordered, down to 1, up to 2; after Confirm the recurring #683 and the 09/09 prorate #682. */
function guideHistory(written: boolean) {
  const lines = (prorate: boolean) =>
    written ? [recurring, ...(prorate ? [{ kind: 'prorate', additionId: 682, agreementId: 290 }] : [])] : [];
  return {
    subscription: {},
    changes: [
      change('2020-01-01', 3, 0, written),
      change('2020-08-20', 1, 3, written),
      change('2020-09-09', 2, 1, written),
    ],
    events: [
      event({
        date: '2020-01-01',
        action: 'initial-order',
        toQuantity: 3,
        orderedBy: 'a.markov@northwind.example',
        renews: '2020-02-01',
        changeKey: '2020-01-01#1',
        lines: lines(false),
      }),
      event({
        date: '2020-08-20',
        action: 'decrease',
        fromQuantity: 3,
        toQuantity: 1,
        orderedBy: 'k.park@northwind.example',
        renews: '2020-09-01',
        changeKey: '2020-08-20#1',
        lines: lines(false),
      }),
      event({
        date: '2020-09-09',
        action: 'increase',
        fromQuantity: 1,
        toQuantity: 2,
        orderedBy: 'n.ross@northwind.example',
        renews: '2020-10-01',
        changeKey: '2020-09-09#1',
        lines: lines(true),
      }),
    ],
    journal: [],
  };
}

async function openHistory(server: FakePodServer, wide: boolean, opened: unknown[] = []) {
  const models = createRecordModels(
    { api: server.api(), openScreen: async (target) => void opened.push(target) },
    'agreement',
    290,
  );
  render(<RecordBody models={models} wide={wide} />, root);
  await models.record.load();
  await flush();
  [...root.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === `Sync: ${E3}`)?.click();
  await flush();
  const details = root.querySelector<HTMLDetailsElement>('details.pv-history')!;
  details.open = true;
  details.dispatchEvent(new Event('toggle'));
  await flush();
}

const rows = () =>
  [...root.querySelectorAll('.pv-history tbody tr')].map((tr) => [...tr.children].map((td) => text(td)));
const headers = () => [...root.querySelectorAll('.pv-history thead th')].map((th) => text(th));
const summary = () => text(root.querySelector('.pv-history-summary')!);
const button = (label: string) => [...root.querySelectorAll('button')].find((b) => text(b) === label);

async function confirm() {
  button('Continue')?.click();
  await flush();
  button('Confirm Sync (2)')?.click();
  await flush();
}

describe('Subscription History, wide (the app, a tab)', () => {
  it('shows the guide columns, then after Confirm the additions that cover each change, each opening its agreement', async () => {
    const server = new FakePodServer();
    server.on(HISTORY, () => ({ body: guideHistory(server.count('POST /api/sync/apply') > 0) }));
    const opened: unknown[] = [];
    await openHistory(server, true, opened);
    expect(headers()).toEqual([
      'Effective Date',
      'History Action',
      'Quantity',
      'Ordered By',
      'Term',
      'Renews',
      'Subscription Status',
      'Sync Status',
      'Covered By',
    ]);
    const none = 'NOT SYNCED · the recurring addition does not bill it yet';
    expect(rows()).toEqual([
      [
        '01/01/2020',
        'Initial Order',
        '3',
        'a.markov@northwind.example',
        'Monthly',
        '02/01/2020',
        'Active',
        none,
        '—none',
      ],
      [
        '08/20/2020',
        'Decrease',
        '3 → 1',
        'k.park@northwind.example',
        'Monthly',
        '09/01/2020',
        'Active',
        none,
        '—none',
      ],
      [
        '09/09/2020',
        'Increase',
        '1 → 2',
        'n.ross@northwind.example',
        'Monthly',
        '10/01/2020',
        'Active',
        none,
        '—none',
      ],
    ]);
    expect(summary()).toBe('3 changes · 3 not synced · last: Increase 1 → 2 on 09/09/2020');

    await confirm();
    expect(server.count(HISTORY)).toBe(2);
    expect(rows().map((r) => [r[1], r[7], r[8]])).toEqual([
      ['Initial Order', 'SYNCED', 'Recurring #683'],
      ['Decrease', 'SYNCED', 'Recurring #683'],
      ['Increase', 'SYNCED', 'Recurring #683Prorate #682'],
    ]);
    expect(summary()).toBe('3 changes · all synced · last: Increase 1 → 2 on 09/09/2020');
    const link = [...root.querySelectorAll<HTMLButtonElement>('.pv-history tbody button')].at(-1)!;
    expect(link.getAttribute('aria-label')).toBe('Open prorate #682 on agreement #290 in ConnectWise');
    link.click();
    expect(opened).toEqual([{ screen: 'agreement', id: 290, newTab: true }]);
  });

  it('names a renewal and a cancel, and says why one is not synced; a dash where Pax8 gives no one or no renewal', async () => {
    const server = new FakePodServer();
    server.on(HISTORY, () => ({
      body: {
        subscription: {},
        changes: [change('2020-01-01', 10, 0, true)],
        events: [
          event({
            date: '2020-01-01',
            action: 'initial-order',
            toQuantity: 10,
            orderedBy: 'Customer',
            term: 'Monthly · Annual commitment',
            renews: '2021-01-01',
            changeKey: '2020-01-01#1',
            lines: [recurring],
          }),
          event({
            date: '2021-01-01',
            action: 'renewal',
            fromQuantity: 10,
            toQuantity: 10,
            term: 'Monthly · Annual commitment',
            renews: '2022-01-01',
            synced: true,
            lines: [recurring],
          }),
          event({
            date: '2021-02-03',
            action: 'cancel',
            fromQuantity: 10,
            toQuantity: 0,
            term: 'Monthly · Annual commitment',
            status: 'Cancelled',
          }),
        ],
        journal: [],
      },
    }));
    await openHistory(server, true);
    expect(rows()).toEqual([
      [
        '01/01/2020',
        'Initial Order',
        '10',
        'Customer',
        'Monthly · Annual commitment',
        '01/01/2021',
        'Active',
        'SYNCED',
        'Recurring #683',
      ],
      [
        '01/01/2021',
        'Renewal',
        '10',
        '—not known',
        'Monthly · Annual commitment',
        '01/01/2022',
        'Active',
        'SYNCED',
        'Recurring #683',
      ],
      [
        '02/03/2021',
        'Cancel',
        '10 → 0',
        '—not known',
        'Monthly · Annual commitment',
        '—does not renew',
        'Cancelled',
        'NOT SYNCED · the recurring addition is not ended yet',
        '—none',
      ],
    ]);
    expect(summary()).toBe('3 changes · 1 not synced · last: Cancel 10 → 0 on 02/03/2021');
  });
});

describe('Subscription History when Pax8 did not answer its orders', () => {
  const ordersUnread = {
    code: 'pax8_orders_unavailable',
    message: "Pax8's orders could not be read, so Ordered By is not shown.",
  };
  const withoutOrders = (orderedBy: (string | null)[]) => {
    const h = guideHistory(false);
    return {
      ...h,
      events: h.events.map((e, i) => ({ ...e, orderedBy: orderedBy[i] ?? null })),
      warnings: [ordersUnread],
    };
  };

  it('shows the history without Ordered By, and one line saying why', async () => {
    const server = new FakePodServer();
    server.on(HISTORY, () => ({ body: withoutOrders([]) }));
    await openHistory(server, true);
    expect(headers()).toEqual([
      'Effective Date',
      'History Action',
      'Quantity',
      'Term',
      'Renews',
      'Subscription Status',
      'Sync Status',
      'Covered By',
    ]);
    expect(rows().map((r) => r.slice(0, 4))).toEqual([
      ['01/01/2020', 'Initial Order', '3', 'Monthly'],
      ['08/20/2020', 'Decrease', '3 → 1', 'Monthly'],
      ['09/09/2020', 'Increase', '1 → 2', 'Monthly'],
    ]);
    expect(summary()).toBe('3 changes · 3 not synced · last: Increase 1 → 2 on 09/09/2020');
    expect([...root.querySelectorAll('.pv-history-warning')].map((p) => text(p))).toEqual([
      ordersUnread.message,
    ]);
  });

  it('keeps the column when a change made from the pod still names its member', async () => {
    const server = new FakePodServer();
    server.on(HISTORY, () => ({ body: withoutOrders([null, null, 'Jane Smith via ConnectWise']) }));
    await openHistory(server, true);
    expect(headers()[3]).toBe('Ordered By');
    expect(rows().map((r) => r[3])).toEqual(['—not known', '—not known', 'Jane Smith via ConnectWise']);
    expect(text(root.querySelector('.pv-history-warning'))).toBe(ordersUnread.message);
  });
});

describe('Subscription History, narrow (the pod)', () => {
  it('a summary line over the short table, read again after Confirm', async () => {
    const server = new FakePodServer();
    server.on(HISTORY, () => ({ body: guideHistory(server.count('POST /api/sync/apply') > 0) }));
    await openHistory(server, false);
    expect(headers()).toEqual(['Effective Date', 'History Action', 'Quantity', 'Sync Status']);
    expect(summary()).toBe('3 changes · 3 not synced · last: Increase 1 → 2 on 09/09/2020');
    await confirm();
    expect(summary()).toBe('3 changes · all synced · last: Increase 1 → 2 on 09/09/2020');
    expect(rows().at(-1)).toEqual([
      '09/09/2020',
      'Increase',
      '1 → 2',
      'SYNCED · recurring #683 + prorate #682',
    ]);
  });
});

describe('eventCoverage (table): a cancel or a renewal, judged by the journal or a recurring the plan finds in step', () => {
  const planWith = (action: string): Plan => {
    const p = guidePlan('plan-1') as unknown as Plan;
    return {
      ...p,
      additions: [{ ...p.additions[0]!, action: action as 'none', additionId: 683 }],
      prorates: [],
    };
  };
  const history = { changes: [change('2020-01-01', 10, 0, false)], journal: [], warnings: [] };
  const renewal = event({ date: '2021-01-01', action: 'renewal', fromQuantity: 10, toQuantity: 10 });
  const cancel = event({ date: '2021-02-03', action: 'cancel', fromQuantity: 10, toQuantity: 0 });
  // biome-ignore format: one row per case
  it.each<[string, HistoryEvent, Plan | undefined, boolean, string, string[]]>([
    ['renewal, no journal, no plan', renewal, undefined, false, 'the recurring addition does not bill it', []],
    ['renewal, the recurring in step (written by hand): on the wizard\'s agreement', renewal, planWith('none'), true, 'recurring #683', ['recurring #683 on 290']],
    ['renewal, the plan still has to update the recurring', renewal, planWith('update'), false, 'the recurring addition does not bill it', []],
    ['renewal covered by the journal\'s recurring', { ...renewal, synced: true, lines: [recurring] }, undefined, true, 'recurring #683', ['recurring #683 on 290']],
    ['up front, the period line written: by the journal alone, whatever the plan', { ...renewal, billedAs: 'upfront', synced: true, lines: [{ kind: 'period', additionId: 803, agreementId: 290 }] }, planWith('update'), true, 'period #803', ['period #803 on 290']],
    ['up front, the renewal\'s period line not written', { ...renewal, billedAs: 'upfront' }, planWith('none'), false, 'its period line is not written', []],
    ['up front, a mid-term increase without its co-termed prorate', { ...renewal, action: 'increase', fromQuantity: 4, toQuantity: 6, changeKey: '2020-01-01#1', billedAs: 'upfront', lines: [{ kind: 'period', additionId: 801, agreementId: 290 }] }, planWith('none'), false, 'period #801; its co-termed prorate is not written', ['period #801 on 290']],
    ['a trial bills nothing', { ...renewal, action: 'initial-order', billedAs: 'trial', synced: true }, undefined, true, 'a trial bills nothing', []],
    ['usage: billed per closed month, not by change', { ...renewal, action: 'initial-order', billedAs: 'usage' }, planWith('none'), true, 'billed per closed usage month', []],
    ['cancel, the recurring not ended', cancel, planWith('none'), false, 'the recurring addition is not ended yet', []],
    ['cancel, the recurring ended', { ...cancel, synced: true, lines: [{ ...recurring, additionId: 690 }] }, undefined, true, 'recurring #690', ['recurring #690 on 290']],
  ])('%s', (_name, e, plan, synced, detail, lines) => {
    const got = eventCoverage(e, history, plan, 290);
    expect([got.synced, got.detail, got.lines.map((l) => `${l.kind} #${l.additionId} on ${l.agreementId}`)]).toEqual([synced, detail, lines]);
  });
  it('a usage row reads IN ARREARS, not SYNCED', () => {
    const usage = { ...renewal, action: 'initial-order', billedAs: 'usage' };
    expect(eventCoverage(usage, history, undefined).label).toBe('IN ARREARS');
  });
});
