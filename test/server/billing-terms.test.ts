import { describe, expect, it } from 'vitest';
import {
  addMonthsToDate,
  type TermInput,
  termLabel,
  termOf,
  windowOpen,
} from '../../server/billing/terms.ts';

type Row = {
  name: string;
  input: TermInput;
  today: string;
  expected: {
    kind: string;
    periodMonths: number | null;
    commitmentMonths: number | null;
    commitmentEnd: string | null;
    renewsOn: string | null;
    windowClosesAt: string | null;
  };
};

// biome-ignore format: one row per case
const rows: Row[] = [
  { name: 'month to month', input: { billingTerm: 'Monthly', startDate: '2026-03-14' }, today: '2026-05-01',
    expected: { kind: 'monthly', periodMonths: 1, commitmentMonths: null, commitmentEnd: null, renewsOn: null, windowClosesAt: null } },
  { name: 'annual NCE paid monthly, bought 14:00', input: { billingTerm: 'Monthly', startDate: '2026-03-14', createdDate: '2026-03-14T14:00:00Z', commitment: { term: 'Annual', endDate: '2027-03-13' } }, today: '2026-03-15',
    expected: { kind: 'monthly', periodMonths: 1, commitmentMonths: 12, commitmentEnd: '2027-03-13', renewsOn: '2027-03-14', windowClosesAt: '2026-03-21T14:00:00.000Z' } },
  { name: 'annual up front, no end date given: the term holding today', input: { billingTerm: 'Annual', startDate: '2026-03-14' }, today: '2027-04-02',
    expected: { kind: 'upfront', periodMonths: 12, commitmentMonths: 12, commitmentEnd: '2028-03-13', renewsOn: '2028-03-14', windowClosesAt: '2027-03-21T00:00:00.000Z' } },
  { name: 'renewed: Pax8 end date moved on, window from the renewal day', input: { billingTerm: 'Annual', startDate: '2025-03-14', createdDate: '2025-03-14T09:30:00Z', commitment: { term: '1-Year', endDate: '2027-03-13' } }, today: '2026-03-20',
    expected: { kind: 'upfront', periodMonths: 12, commitmentMonths: 12, commitmentEnd: '2027-03-13', renewsOn: '2027-03-14', windowClosesAt: '2026-03-21T00:00:00.000Z' } },
  { name: 'an end date on the anniversary is read as the renewal day', input: { billingTerm: 'Monthly', startDate: '2026-03-14', commitment: { term: 'Annual', endDate: '2027-03-14T00:00:00Z' } }, today: '2026-04-01',
    expected: { kind: 'monthly', periodMonths: 1, commitmentMonths: 12, commitmentEnd: '2027-03-13', renewsOn: '2027-03-14', windowClosesAt: '2026-03-21T00:00:00.000Z' } },
  { name: '3-year up front', input: { billingTerm: '3-Year', startDate: '2026-01-31' }, today: '2026-02-01',
    expected: { kind: 'upfront', periodMonths: 36, commitmentMonths: 36, commitmentEnd: '2029-01-30', renewsOn: '2029-01-31', windowClosesAt: '2026-02-07T00:00:00.000Z' } },
  { name: '2-year spelled as the invoice does', input: { billingTerm: '2 Year', startDate: '2026-06-01' }, today: '2026-06-01',
    expected: { kind: 'upfront', periodMonths: 24, commitmentMonths: 24, commitmentEnd: '2028-05-31', renewsOn: '2028-06-01', windowClosesAt: '2026-06-08T00:00:00.000Z' } },
  { name: 'leap day start: the anniversary is 28 Feb', input: { billingTerm: 'Annual', startDate: '2028-02-29' }, today: '2028-03-01',
    expected: { kind: 'upfront', periodMonths: 12, commitmentMonths: 12, commitmentEnd: '2029-02-27', renewsOn: '2029-02-28', windowClosesAt: '2028-03-07T00:00:00.000Z' } },
  { name: 'one-time', input: { billingTerm: 'One-Time', startDate: '2026-03-14' }, today: '2026-03-14',
    expected: { kind: 'one-time', periodMonths: null, commitmentMonths: null, commitmentEnd: null, renewsOn: null, windowClosesAt: null } },
  { name: 'activation', input: { billingTerm: 'Activation', startDate: '2026-03-14' }, today: '2026-03-14',
    expected: { kind: 'one-time', periodMonths: null, commitmentMonths: null, commitmentEnd: null, renewsOn: null, windowClosesAt: null } },
  { name: 'trial', input: { billingTerm: 'Trial', startDate: '2026-03-14' }, today: '2026-03-14',
    expected: { kind: 'trial', periodMonths: null, commitmentMonths: null, commitmentEnd: null, renewsOn: null, windowClosesAt: null } },
  { name: 'a term no rule bills', input: { billingTerm: 'Quarterly', startDate: '2026-03-14' }, today: '2026-03-14',
    expected: { kind: 'unknown', periodMonths: null, commitmentMonths: null, commitmentEnd: null, renewsOn: null, windowClosesAt: null } },
];

describe('termOf (spec §5)', () => {
  it.each(rows)('$name', ({ input, today, expected }) => {
    const t = termOf(input, today);
    expect({
      kind: t.kind,
      periodMonths: t.periodMonths,
      commitmentMonths: t.commitmentMonths,
      commitmentEnd: t.commitmentEnd,
      renewsOn: t.renewsOn,
      windowClosesAt: t.windowClosesAt,
    }).toEqual(expected);
  });

  it('speaks the term: the plan, review, pod rows and audit show this', () => {
    const annual = termOf(
      { billingTerm: 'Annual', startDate: '2026-03-14', createdDate: '2026-03-14T14:00:00Z' },
      '2026-03-15',
    );
    expect(termLabel(annual, '2026-03-15T00:00:00Z')).toBe(
      'Annual · renews 03/14/2027 · decrease window closes 03/21/2026 14:00',
    );
    expect(termLabel(annual, '2026-03-21T14:00:00Z')).toBe(
      'Annual · renews 03/14/2027 · decrease window closed 03/21/2026 14:00',
    );
    const paidMonthly = termOf(
      {
        billingTerm: 'Monthly',
        startDate: '2026-03-14',
        commitment: { term: '3-Year', endDate: '2029-03-13' },
      },
      '2026-04-01',
    );
    expect(termLabel(paidMonthly)).toBe(
      '3-Year, billed monthly · renews 03/14/2029 · decrease window closes 03/21/2026 00:00',
    );
    expect(termLabel(termOf({ billingTerm: 'Monthly', startDate: '2026-03-14' }, '2026-04-01'))).toBe(
      'Monthly',
    );
  });

  it('the window is 168 hours to the minute; no commitment means always open', () => {
    const t = termOf(
      { billingTerm: 'Annual', startDate: '2026-03-14', createdDate: '2026-03-14T14:00:00Z' },
      '2026-03-14',
    );
    expect(windowOpen(t, '2026-03-21T13:59:59Z')).toBe(true);
    expect(windowOpen(t, '2026-03-21T14:00:00Z')).toBe(false);
    expect(
      windowOpen(
        termOf({ billingTerm: 'Monthly', startDate: '2026-03-14' }, '2026-09-01'),
        '2026-09-01T00:00:00Z',
      ),
    ).toBe(true);
  });

  it('adds months on the calendar, clamping to the month end', () => {
    expect(addMonthsToDate('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDate('2027-03-14', -12)).toBe('2026-03-14');
  });
});
