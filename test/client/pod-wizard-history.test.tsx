// The wizard's subscription history (issue 9, wizard 8): every change says whether it is covered and by
// which line (the initial order and decreases by the recurring addition too), and it reloads after Confirm.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { coverageOf, type HistoryChange } from '../../client/state/history-model.ts';
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
  cover: Partial<HistoryChange> = {},
): HistoryChange => ({
  date,
  quantity,
  previousQuantity,
  synced: false,
  changeKey: `${date}#1`,
  coveredByRecurring: false,
  recurringAdditionId: null,
  prorateAdditionId: null,
  ...cover,
});

const plan = (prorate: { synced?: boolean; excluded?: boolean } | null, recurringAction = 'create') => {
  const p = guidePlan('plan-1') as unknown as Plan;
  const [rec] = p.additions;
  const prorates = prorate
    ? p.prorates.map((r) => ({
        ...r,
        changeKey: '2020-09-09#1',
        synced: prorate.synced ?? false,
        excluded: prorate.excluded ?? false,
      }))
    : [];
  return {
    ...p,
    additions: [{ ...rec!, action: recurringAction as 'none', additionId: 683 }],
    prorates,
  } as Plan;
};
const byRecurring = { coveredByRecurring: true, recurringAdditionId: 683 };

describe('coverageOf (table)', () => {
  // biome-ignore format: one row per case
  it.each<[string, HistoryChange, Plan | undefined, boolean, string]>([
    ['initial order, recurring written, no prorate due', change('2020-01-01', 1, 0, byRecurring), plan(null), true, 'recurring #683; no prorate due'],
    ['increase with its prorate written', change('2020-09-09', 2, 1, { ...byRecurring, prorateAdditionId: 682, synced: true }), plan({ synced: true }), true, 'recurring #683 + prorate #682'],
    ['increase, prorate not written (ignored at Confirm)', change('2020-09-09', 2, 1, byRecurring), plan({}), false, 'recurring #683; its prorate is not written'],
    ['increase, prorate excluded', change('2020-09-09', 2, 1, byRecurring), plan({ excluded: true }), false, 'recurring #683; its prorate is excluded'],
    ['decrease covered by the recurring', change('2020-10-12', 1, 2, byRecurring), plan(null), true, 'recurring #683'],
    ['decrease not synced yet', change('2020-10-12', 1, 2), plan(null), false, 'the recurring addition does not bill it yet'],
    ['recurring in step (written by hand, no journal)', change('2020-01-01', 1, 0), plan(null, 'none'), true, 'recurring #683; no prorate due'],
    ['no plan: the journal alone, no prorate written', change('2020-01-01', 1, 0, byRecurring), undefined, false, 'recurring #683'],
  ])('%s', (_name, c, p, synced, detail) => {
    expect(coverageOf(c, p)).toEqual({ synced, detail });
  });
});

describe('history panel', () => {
  it('marks the initial order and a decrease, and loads again after Confirm', async () => {
    const server = new FakePodServer();
    const written = () => server.count('POST /api/sync/apply') > 0;
    server.on(HISTORY, () => ({
      body: {
        subscription: {},
        changes: [
          change('2020-01-01', 3, 0, written() ? byRecurring : {}),
          change('2020-08-20', 1, 3, written() ? byRecurring : {}),
          change(
            '2020-09-09',
            2,
            1,
            written() ? { ...byRecurring, prorateAdditionId: 682, synced: true } : {},
          ),
        ],
        journal: [],
      },
    }));
    const models = createRecordModels({ api: server.api() }, 'agreement', 290);
    render(<RecordBody models={models} wide={false} />, root);
    await models.record.load();
    await flush();
    [...root.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === `Sync: ${E3}`)?.click();
    await flush();
    const details = root.querySelector<HTMLDetailsElement>('details.pv-history')!;
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await flush();
    const rows = () =>
      [...root.querySelectorAll('.pv-history tbody tr')].map((tr) => [...tr.children].map((td) => text(td)));
    expect(rows()).toEqual([
      ['01/01/2020', 'Initial Order', '3', 'NOT SYNCED · the recurring addition does not bill it yet'],
      ['08/20/2020', 'Decrease', '3 → 1', 'NOT SYNCED · the recurring addition does not bill it yet'],
      ['09/09/2020', 'Increase', '1 → 2', 'NOT SYNCED · the recurring addition does not bill it yet'],
    ]);
    const button = (label: string) => [...root.querySelectorAll('button')].find((b) => text(b) === label);
    button('Continue')?.click();
    await flush();
    button('Confirm Sync (2)')?.click();
    await flush();
    expect(server.count(HISTORY)).toBe(2);
    expect(rows()).toEqual([
      ['01/01/2020', 'Initial Order', '3', 'SYNCED · recurring #683; no prorate due'],
      ['08/20/2020', 'Decrease', '3 → 1', 'SYNCED · recurring #683'],
      ['09/09/2020', 'Increase', '1 → 2', 'SYNCED · recurring #683 + prorate #682'],
    ]);
  });
});
