// The pod rows say the money in words (the server's judgement, spec §8): what ConnectWise will bill against what
// it should, the fix (adopt a line written by hand, cancel a duplicate) and a write still in flight.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import type { RowStatus } from '../../client/state/pod-schemas.ts';
import { StatusBadge } from '../../client/ui/status-badge.tsx';
import { text, useMountPoint } from './fakes/dom.ts';
import { boundView, FakePodServer, flush, rowE3, rowSynced } from './pod-fakes.ts';

const root = useMountPoint();

const money = (message: string, olderShortfall = 0) => ({
  firstUninvoicedMonth: '2020-10',
  months: [
    { month: '2020-10', will: 5000, should: 7500 },
    { month: '2020-11', will: 5000, should: 7500 },
    { month: '2020-12', will: 5000, should: 7500 },
  ],
  backBill: 0,
  olderShortfall,
  message,
});

async function mountWith(rows: unknown[]) {
  const server = new FakePodServer();
  server.on('GET /api/views/agreement/290', () => ({ status: 200, body: { ...boundView, rows } }));
  const models = createRecordModels({ api: server.api() }, 'agreement', 290);
  render(<RecordBody models={models} wide={false} />, root);
  await models.record.load();
  await flush();
  return [...root.querySelectorAll('.pv-row')].map((r) => ({
    badge: text(r.querySelector('.cw-badge')),
    button: text(r.querySelector('button')),
    notes: [...r.querySelectorAll('.pv-row-note')].map((n) => text(n)),
  }));
}

describe('pod rows: money and fix in words', () => {
  it('quantity differs: the monthly amount not billed', async () => {
    const rows = await mountWith([
      {
        ...rowE3,
        status: 'quantity_differs',
        addition: null,
        money: money('ConnectWise will bill $50.00/mo, should bill $75.00/mo: $25.00/mo not billed.'),
      },
    ]);
    expect(rows).toEqual([
      {
        badge: '≠ Quantity differs',
        button: 'Sync',
        notes: ['ConnectWise will bill $50.00/mo, should bill $75.00/mo: $25.00/mo not billed.'],
      },
    ]);
  });

  it('a duplicate names the addition to cancel; an older shortfall and a write in flight are said', async () => {
    const rows = await mountWith([
      {
        ...rowE3,
        status: 'duplicate',
        action: 'cancel_addition',
        fixAdditionIds: [118],
        writeInFlight: true,
        money: money(
          'ConnectWise will bill $100.00/mo, should bill $50.00/mo: $50.00/mo billed too much.',
          1250,
        ),
      },
    ]);
    expect(rows[0]?.badge).toBe('×2 Billed twice');
    expect(rows[0]?.button).toBe('Review');
    expect(rows[0]?.notes).toEqual([
      'ConnectWise will bill $100.00/mo, should bill $50.00/mo: $50.00/mo billed too much.',
      'Cancel addition #118 in ConnectWise (set a cancelled date).',
      '$12.50 not billed in months older than the look-back.',
      'A write to ConnectWise is still in flight: wait before syncing again.',
    ]);
  });

  it('written by hand offers Adopt; a synced row says nothing more; an older server without money still renders', async () => {
    const rows = await mountWith([
      {
        ...rowE3,
        status: 'written_by_hand',
        action: 'adopt',
        fixAdditionIds: [5],
        money: money('ConnectWise will bill $50.00/mo, as it should.'),
      },
      { ...rowSynced, money: money('ConnectWise will bill $50.00/mo, as it should.') },
      rowE3,
    ]);
    expect(rows.map((r) => [r.badge, r.button, r.notes])).toEqual([
      [
        '✎ Written by hand',
        'Adopt',
        [
          'ConnectWise will bill $50.00/mo, as it should.',
          'Added in ConnectWise by hand: adopt it so the pod tracks it.',
        ],
      ],
      ['✓ Synced', 'Review', []],
      ['+ Not on agreement', 'Sync', []],
    ]);
  });
});

describe('status badge: the judgement statuses in words', () => {
  it.each<[RowStatus, string]>([
    ['prorate_pending', 'Prorate not billed'],
    ['duplicate', 'Billed twice'],
    ['double_billed', 'On two agreements'],
    ['written_by_hand', 'Written by hand'],
    ['cancelled_billing', 'Cancelled, still billing'],
    ['trial_billing', 'Trial, billing'],
  ])('%s reads "%s"', (status, label) => {
    render(<StatusBadge status={status} />, root);
    const badge = root.querySelector('.cw-badge')?.cloneNode(true) as HTMLElement;
    for (const hidden of badge.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
    expect(text(badge)).toBe(label);
    expect(root.querySelector('.cw-badge')?.classList.contains('warn')).toBe(true);
  });
});
