// The scheduled sync's pure rules, one row per case: when a run is due on the tenant's wall clock (DST gaps
// and repeats, month and year ends, zones ahead of and behind UTC, all with the time passed in), and which
// planned lines the tenant's auto-apply rules let a run write alone, to the cent.
import { describe, expect, it } from 'vitest';
import { dueSlot, instantOf, isTimeZone, nextSlot } from '../../server/schedule/due.ts';
import { type AutoApplyRules, classifyLine } from '../../server/schedule/rules.ts';

describe('due time: the latest scheduled instant at or before now', () => {
  it.each([
    // [now (UTC), time of day, zone, due instant]
    ['2026-07-15T12:00:00.000Z', '06:00', 'America/New_York', '2026-07-15T10:00:00.000Z'], // EDT −4
    ['2026-01-15T12:00:00.000Z', '06:00', 'America/New_York', '2026-01-15T11:00:00.000Z'], // EST −5
    ['2026-01-15T10:59:59.999Z', '06:00', 'America/New_York', '2026-01-14T11:00:00.000Z'], // not yet today
    ['2026-01-15T11:00:00.000Z', '06:00', 'America/New_York', '2026-01-15T11:00:00.000Z'], // due at the instant
    // Spring forward (NY 2026-03-08): 02:30 never shows on the wall; it runs as late as the jump, 03:30 EDT.
    ['2026-03-08T12:00:00.000Z', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    // The day after, the same wall time is 06:30Z again (EDT).
    ['2026-03-09T12:00:00.000Z', '02:30', 'America/New_York', '2026-03-09T06:30:00.000Z'],
    // Fall back (NY 2026-11-01): 01:30 shows twice, EDT (05:30Z) then EST (06:30Z); the first one runs.
    ['2026-11-01T12:00:00.000Z', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-11-01T06:00:00.000Z', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    // London's spring forward falls on a month's last Sunday (2027-03-28): 01:30 runs at 02:30 BST = 01:30Z.
    ['2027-03-28T12:00:00.000Z', '01:30', 'Europe/London', '2027-03-28T01:30:00.000Z'],
    // Month ends, on UTC: before the time on the 1st, the last day of the month before (28 or 29 February).
    ['2027-03-01T03:00:00.000Z', '06:00', 'UTC', '2027-02-28T06:00:00.000Z'],
    ['2028-03-01T03:00:00.000Z', '06:00', 'UTC', '2028-02-29T06:00:00.000Z'],
    ['2026-05-01T05:59:00.000Z', '06:00', 'UTC', '2026-04-30T06:00:00.000Z'],
    ['2027-01-01T05:59:59.000Z', '06:00', 'UTC', '2026-12-31T06:00:00.000Z'],
    // A zone ahead of UTC: Sydney's 06:00 on 1 January 2027 (AEDT +11) is 19:00Z on 31 December.
    ['2026-12-31T19:00:00.000Z', '06:00', 'Australia/Sydney', '2026-12-31T19:00:00.000Z'],
    ['2026-12-31T18:59:00.000Z', '06:00', 'Australia/Sydney', '2026-12-30T19:00:00.000Z'],
    // A zone behind UTC across its month end: Los Angeles 23:30 on 31 January (PST −8) is 07:30Z on 1 February.
    ['2027-02-01T08:00:00.000Z', '23:30', 'America/Los_Angeles', '2027-02-01T07:30:00.000Z'],
    ['2027-02-01T07:00:00.000Z', '23:30', 'America/Los_Angeles', '2027-01-31T07:30:00.000Z'],
  ])('now %s, %s %s → due %s', (now, timeOfDay, timeZone, due) => {
    expect(dueSlot(new Date(now), { timeOfDay, timeZone })).toBe(due);
  });

  it.each([
    ['2026-03-07T12:00:00.000Z', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-10-31T12:00:00.000Z', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2027-02-28T06:00:00.000Z', '06:00', 'UTC', '2027-03-01T06:00:00.000Z'],
    ['2028-02-28T07:00:00.000Z', '06:00', 'UTC', '2028-02-29T06:00:00.000Z'],
  ])('next run after %s, %s %s → %s', (now, timeOfDay, timeZone, next) => {
    expect(nextSlot(new Date(now), { timeOfDay, timeZone })).toBe(next);
  });

  it('names time zones and refuses what is not one; a time of day is HH:MM', () => {
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(() => instantOf('2026-01-01', '24:00', 'UTC')).toThrow('HH:MM');
  });
});

const rules: AutoApplyRules = { recurringSeatsBelow: 5, proratesUnderCents: 2500 };
const was = (quantity: number, unitPrice = '25.00', unitCost = '20.00') => ({
  quantity,
  unitPrice,
  unitCost,
  cancelledDate: null,
});

describe('auto-apply rules', () => {
  it.each([
    // [what, line, write, rules, auto?, rule or reason]
    [
      'E3 4 → 8 seats: 4 is below 5',
      { kind: 'recurring', action: 'update', totalPrice: '200.00', belowMarginFloor: false },
      {
        kind: 'recurring',
        action: 'update',
        quantity: 8,
        unitPrice: '25.00',
        unitCost: '20.00',
        expected: was(4),
      },
      rules,
      true,
      'recurring quantity 4 → 8 (4 seats), below 5 seats',
    ],
    [
      'a decrease 10 → 6 counts its 4 seats too',
      { kind: 'recurring', action: 'update', totalPrice: '150.00', belowMarginFloor: false },
      {
        kind: 'recurring',
        action: 'update',
        quantity: 6,
        unitPrice: '25.00',
        unitCost: '20.00',
        expected: was(10),
      },
      rules,
      true,
      'recurring quantity 10 → 6 (4 seats), below 5 seats',
    ],
    [
      '5 seats is not below 5',
      { kind: 'recurring', action: 'update', totalPrice: '250.00', belowMarginFloor: false },
      {
        kind: 'recurring',
        action: 'update',
        quantity: 10,
        unitPrice: '25.00',
        unitCost: '20.00',
        expected: was(5),
      },
      rules,
      false,
      "recurring quantity 5 → 10 (5 seats): not below the rule's 5 seats",
    ],
    [
      'the price changes with the seats',
      { kind: 'recurring', action: 'update', totalPrice: '104.00', belowMarginFloor: false },
      {
        kind: 'recurring',
        action: 'update',
        quantity: 4,
        unitPrice: '26.00',
        unitCost: '20.00',
        expected: was(3),
      },
      rules,
      false,
      'the price, cost or end date changes too: waits for a person',
    ],
    [
      'no seat rule',
      { kind: 'recurring', action: 'update', totalPrice: '100.00', belowMarginFloor: false },
      {
        kind: 'recurring',
        action: 'update',
        quantity: 4,
        unitPrice: '25.00',
        unitCost: '20.00',
        expected: was(3),
      },
      { recurringSeatsBelow: null, proratesUnderCents: 2500 },
      false,
      'recurring quantity 3 → 4 (1 seat): no rule auto-applies quantity updates',
    ],
    [
      'a prorate of $24.99 is under $25.00',
      { kind: 'prorate', action: 'create', totalPrice: '24.99', belowMarginFloor: false },
      { kind: 'prorate', action: 'create', quantity: 1, unitPrice: '24.99', unitCost: '19.99' },
      rules,
      true,
      'prorate of $24.99, under $25.00',
    ],
    [
      'a prorate of $25.00 is not under $25.00',
      { kind: 'prorate', action: 'create', totalPrice: '25.00', belowMarginFloor: false },
      { kind: 'prorate', action: 'create', quantity: 2, unitPrice: '12.50', unitCost: '10.00' },
      rules,
      false,
      "prorate of $25.00: not under the rule's $25.00",
    ],
    [
      'a new recurring addition (a new product) has no rule',
      { kind: 'recurring', action: 'create', totalPrice: '50.00', belowMarginFloor: false },
      { kind: 'recurring', action: 'create', quantity: 2, unitPrice: '25.00', unitCost: '20.00' },
      rules,
      false,
      'create of a recurring line: no rule covers it, waits for a person',
    ],
    [
      'a back-bill (extra months) has no rule',
      { kind: 'extra', action: 'create', totalPrice: '10.00', belowMarginFloor: false },
      { kind: 'extra', action: 'create', quantity: 1, unitPrice: '10.00', unitCost: '8.00' },
      rules,
      false,
      'create of a extra line: no rule covers it, waits for a person',
    ],
    [
      'below the margin floor waits whatever the rule',
      { kind: 'prorate', action: 'create', totalPrice: '5.00', belowMarginFloor: true },
      { kind: 'prorate', action: 'create', quantity: 1, unitPrice: '5.00', unitCost: '4.90' },
      rules,
      false,
      'below the margin floor: a person confirms it',
    ],
  ] as const)('%s', (_what, line, write, r, auto, words) => {
    const verdict = classifyLine(line, write, r);
    expect(verdict.auto).toBe(auto);
    expect(verdict.auto ? verdict.rule : verdict.reason).toBe(words);
  });
});
