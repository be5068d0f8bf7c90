import { describe, expect, it } from 'vitest';
import { cond, fromCwDate, toCwDate } from '../../server/connectwise/index.ts';

describe('cond: every value quoted and escaped', () => {
  it.each([
    ['plain string', cond.eq('name', 'Acme'), 'name = "Acme"'],
    ['single and double quotes', cond.eq('name', `O'Brien "IT"`), `name = "O'Brien \\"IT\\""`],
    [
      'quote that tries to widen',
      cond.eq('name', 'x" or id > 0 or name = "y'),
      'name = "x\\" or id > 0 or name = \\"y"',
    ],
    ['backslash before quote', cond.eq('name', 'a\\" or 1=1'), 'name = "a\\\\\\" or 1=1"'],
    ['number', cond.eq('company/id', 19297), 'company/id = 19297'],
    ['negative decimal', cond.gt('unitPrice', -12.5), 'unitPrice > -12.5'],
    ['boolean', cond.eq('inactiveFlag', false), 'inactiveFlag = false'],
    ['null', cond.eq('parentAgreement', null), 'parentAgreement = null'],
    ['calendar date', cond.gte('startDate', cond.date('2020-10-01')), 'startDate >= [2020-10-01T00:00:00Z]'],
    [
      'cw date-time',
      cond.lt('endDate', cond.date('2021-01-31T12:30:00Z')),
      'endDate < [2021-01-31T12:30:00Z]',
    ],
    [
      'Date object',
      cond.lte('dateEntered', new Date('2015-12-23T05:53:27.123Z')),
      'dateEntered <= [2015-12-23T05:53:27Z]',
    ],
    ['not equal', cond.ne('agreementStatus', 'Cancelled'), 'agreementStatus != "Cancelled"'],
    ['like', cond.like('name', 'Fred%'), 'name like "Fred%"'],
    ['contains', cond.contains('summary', 'te"st'), 'summary contains "te\\"st"'],
    ['in numbers', cond.in('status/id', [1, 42, 43]), 'status/id in (1, 42, 43)'],
    ['in strings', cond.in('identifier', ['A"B', 'C']), 'identifier in ("A\\"B", "C")'],
    ['and', cond.and(cond.eq('a', 1), cond.eq('b', 'x')), '(a = 1) and (b = "x")'],
    [
      'or inside and',
      cond.and(cond.or(cond.eq('a', 1), cond.eq('a', 2)), cond.eq('c', true)),
      '((a = 1) or (a = 2)) and (c = true)',
    ],
    ['and skips absent parts', cond.and(cond.eq('a', 1), undefined, false), 'a = 1'],
    ['and of nothing', cond.and(), ''],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    ['field with a space', () => cond.eq('name or 1', 1)],
    ['field with a quote', () => cond.eq('name"', 1)],
    ['exponent number', () => cond.eq('id', 1e21)],
    ['NaN', () => cond.eq('id', Number.NaN)],
    ['empty in', () => cond.in('id', [])],
    ['bad date', () => cond.eq('startDate', cond.date('2020-02-30'))],
  ])('refuses %s', (_name, build) => {
    expect(build).toThrow();
  });
});

describe('CW dates', () => {
  it.each([
    ['2020-10-01', '2020-10-01T00:00:00Z'],
    ['2024-02-29', '2024-02-29T00:00:00Z'],
  ])('toCwDate(%s)', (input, expected) => {
    expect(toCwDate(input)).toBe(expected);
  });

  it.each([
    ['2020-10-01T00:00:00Z', '2020-10-01'],
    ['2018-05-17T23:59:59Z', '2018-05-17'],
    ['2018-05-17T10:00:00.000Z', '2018-05-17'],
  ])('fromCwDate(%s)', (input, expected) => {
    expect(fromCwDate(input)).toBe(expected);
  });

  it.each(['2023-02-29', '2020-1-01', '01/10/2020', ''])('toCwDate refuses %j', (input) => {
    expect(() => toCwDate(input)).toThrow(RangeError);
  });

  it.each(['2020-10-01', '2020-10-01T00:00:00', '2020-10-01T00:00:00+02:00', 'soon'])(
    'fromCwDate refuses %j',
    (input) => {
      expect(() => fromCwDate(input)).toThrow(RangeError);
    },
  );
});
