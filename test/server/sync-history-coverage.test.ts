// Which line covers each history change (issue 9, wizard 8): the initial order and decreases are covered by
// the recurring addition once it bills their quantity or a later one (matched by quantity, whatever the clocks). `synced` alone is strict: an increase
// (the initial order is one) also needs a written prorate; whether one is due at all only the plan knows, so
// the wizard combines this with its plan (a change with no prorate due is synced once the recurring covers it).
import { describe, expect, it } from 'vitest';
import { historyCoverage } from '../../server/sync/history-coverage.ts';

const guideHistory = [
  { date: '2020-01-01', quantity: 1 },
  { date: '2020-09-09', quantity: 2 },
];
type Entry = Parameters<typeof historyCoverage>[1][number];
const recurring = (quantity: number, id = 683, action = 'create'): Entry => ({
  kind: 'recurring',
  action,
  state: 'done',
  cwAdditionId: id,
  changeKey: null,
  request: { quantity },
});
const prorate = (changeKey: string, id = 682, state: Entry['state'] = 'done'): Entry => ({
  kind: 'prorate',
  action: 'create',
  state,
  cwAdditionId: state === 'done' ? id : null,
  changeKey,
  request: { quantity: 1 },
});

type Row = [
  name: string,
  points: { date: string; quantity: number }[],
  journal: ReturnType<typeof recurring>[],
  expected: [string, boolean, number | null, number | null, boolean][],
];

describe('historyCoverage', () => {
  // biome-ignore format: one row per case; each change as [key, by recurring, recurring id, prorate id, synced]
  it.each<Row>([
    ['nothing synced', guideHistory, [], [['2020-01-01#1', false, null, null, false], ['2020-09-09#1', false, null, null, false]]],
    ['guide: recurring of 2 and the 09/09 prorate cover both; the initial order by the recurring', guideHistory, [recurring(2), prorate('2020-09-09#1')], [['2020-01-01#1', true, 683, null, false], ['2020-09-09#1', true, 683, 682, true]]],
    ['recurring without the prorate: the increase is not synced', guideHistory, [recurring(2)], [['2020-01-01#1', true, 683, null, false], ['2020-09-09#1', true, 683, null, false]]],
    ['a failed prorate does not count', guideHistory, [recurring(2), prorate('2020-09-09#1', 682, 'failed')], [['2020-01-01#1', true, 683, null, false], ['2020-09-09#1', true, 683, null, false]]],
    ['a recurring written before the increase covers only the initial order', guideHistory, [recurring(1), prorate('2020-01-01#1', 600)], [['2020-01-01#1', true, 683, 600, true], ['2020-09-09#1', false, null, null, false]]],
    ['a recurring with a typed quantity (not Pax8\'s) covers nothing', guideHistory, [recurring(5)], [['2020-01-01#1', false, null, null, false], ['2020-09-09#1', false, null, null, false]]],
    ['a decrease is covered by the update that lowered the recurring', [{ date: '2020-01-01', quantity: 5 }, { date: '2020-10-12', quantity: 3 }], [recurring(5, 683), recurring(3, 683, 'update')], [['2020-01-01#1', true, 683, null, false], ['2020-10-12#1', true, 683, null, true]]],
    ['a decrease not synced yet: the earlier change stays covered', [{ date: '2020-01-01', quantity: 5 }, { date: '2020-10-12', quantity: 3 }], [recurring(5, 683)], [['2020-01-01#1', true, 683, null, false], ['2020-10-12#1', false, null, null, false]]],
    ['1 → 2 → 1 synced at 1: the recurring bills 1 now and covers all; the +1 still needs its prorate', [{ date: '2020-01-01', quantity: 1 }, { date: '2020-03-05', quantity: 2 }, { date: '2020-03-20', quantity: 1 }], [recurring(1)], [['2020-01-01#1', true, 683, null, false], ['2020-03-05#1', true, 683, null, false], ['2020-03-20#1', true, 683, null, true]]],
    ['two changes on one day: keys #1 and #2', [{ date: '2020-01-01', quantity: 1 }, { date: '2020-03-05', quantity: 2 }, { date: '2020-03-05', quantity: 4 }], [recurring(4), prorate('2020-03-05#2', 690)], [['2020-01-01#1', true, 683, null, false], ['2020-03-05#1', true, 683, null, false], ['2020-03-05#2', true, 683, 690, true]]],
  ])('%s', (_name, points, journal, expected) => {
    const got = historyCoverage(points, journal);
    expect(got.map((c) => [c.changeKey, c.coveredByRecurring, c.recurringAdditionId, c.prorateAdditionId, c.synced])).toEqual(expected);
  });
});
