import { describe, expect, it } from 'vitest';
import { extraMonthsDescription, trimCutText } from '../../server/billing/descriptions.ts';
import {
  addMonths,
  dayBefore,
  daysInMonth,
  extraMonthsAddition,
  formula,
  longDescription,
  prorateDescription,
  shortDescription,
  toCents,
} from '../../server/billing/index.ts';

const E3 = 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite';
const SHORT = 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ';

describe('descriptions', () => {
  it('short is the first 50 characters of "Pax8 - " + name (guide)', () => {
    expect(shortDescription(E3)).toBe(SHORT);
    expect(SHORT).toHaveLength(50);
    expect(shortDescription('Azure')).toBe('Pax8 - Azure');
    expect(longDescription(E3)).toBe(`Pax8 - ${E3}`);
  });

  it.each([
    ['2020-09-09', '2020-09-30', `${SHORT} - Prorated for 09/09/2020-09/30/2020`],
    ['2024-02-01', '2024-02-29', `${SHORT} - Prorated for 02/01/2024-02/29/2024`],
  ])('prorate description %s to %s', (start, end, expected) => {
    expect(prorateDescription(SHORT, start, end)).toBe(expected);
  });

  // A short description cut at 50 characters may end inside a separator: the short text itself drops it (the
  // recurring line's invoice text never ends in " - "), and a suffix never doubles it.
  // biome-ignore format: one row per case
  it.each([
    ['Microsoft Defender for Office 365 Plan 1 - Monthly', 'Pax8 - Microsoft Defender for Office 365 Plan 1', 'Pax8 - Microsoft Defender for Office 365 Plan 1 - Prorated for 09/09/2020-09/30/2020'],
    ['Microsoft Defender for Office 365 (Plan1) - Monthly', 'Pax8 - Microsoft Defender for Office 365 (Plan1)', 'Pax8 - Microsoft Defender for Office 365 (Plan1) - Prorated for 09/09/2020-09/30/2020'],
    ['Microsoft Defender for Office 365 (Plan 1) - Monthly', 'Pax8 - Microsoft Defender for Office 365 (Plan 1)', 'Pax8 - Microsoft Defender for Office 365 (Plan 1) - Prorated for 09/09/2020-09/30/2020'],
    ['Microsoft Office 365 Business Essentials - Includes Exchange', 'Pax8 - Microsoft Office 365 Business Essentials', 'Pax8 - Microsoft Office 365 Business Essentials - Prorated for 09/09/2020-09/30/2020'],
    [E3, SHORT, `${SHORT} - Prorated for 09/09/2020-09/30/2020`],
  ])('a short cut inside " - " drops the separator: %s', (name, short, expected) => {
    expect(shortDescription(name)).toBe(short);
    expect(Array.from(short).length).toBeLessThanOrEqual(50);
    expect(prorateDescription(shortDescription(name), '2020-09-09', '2020-09-30')).toBe(expected);
  });

  it.each([
    ['Pax8 - Defender for Office 365 Plan 1 - ', 'Pax8 - Defender for Office 365 Plan 1'],
    ['Pax8 - Defender -', 'Pax8 - Defender'],
    ['Pax8 - Defender –  ', 'Pax8 - Defender'],
    ['Pax8 - Defender, ', 'Pax8 - Defender'],
    ['Pax8 - Defender:', 'Pax8 - Defender'],
    ['Pax8 - Add-on', 'Pax8 - Add-on'],
    [' - ', ' - '],
  ])('trimCutText(%j) is %j', (text, expected) => {
    expect(trimCutText(text)).toBe(expected);
  });

  it('an extra-months description trims the cut the same way', () => {
    expect(
      extraMonthsDescription('Pax8 - Microsoft Defender for Office 365 Plan 1 - ', '2021-02', '2021-04'),
    ).toBe('Pax8 - Microsoft Defender for Office 365 Plan 1 - Feb 2021 to Apr 2021');
  });

  it.each([
    [2000, 2, '$40.00 ($20.00 × 2 units)'],
    [1750, 1, '$17.50 ($17.50 × 1 unit)'],
    [0, 0, '$0.00 ($0.00 × 0 units)'],
  ])('formula %i cents × %i', (cents, quantity, expected) => {
    expect(formula(cents, quantity)).toBe(expected);
  });
});

describe('extraMonthsAddition (spec §4)', () => {
  // biome-ignore format: one row per case
  it.each([
    { name: 'guide: one February seat billed in March', quantity: 1, startMonth: '2021-02', months: 1, unit: ['20.00', '25.00'], total: ['20.00', '25.00'], description: `${SHORT} - February 2021` },
    { name: 'three months, two seats', quantity: 2, startMonth: '2021-02', months: 3, unit: ['60.00', '75.00'], total: ['120.00', '150.00'], description: `${SHORT} - Feb 2021 to Apr 2021` },
    { name: 'across a year end', quantity: 5, startMonth: '2020-11', months: 3, unit: ['60.00', '75.00'], total: ['300.00', '375.00'], description: `${SHORT} - Nov 2020 to Jan 2021` },
  ])('$name', ({ quantity, startMonth, months, unit, total, description }) => {
    const line = extraMonthsAddition({ effectiveDate: '2021-03-01', quantity, startMonth, months, unitCost: '20.00', unitPrice: 25, shortDescription: SHORT });
    expect([line.unitCost, line.unitPrice]).toEqual(unit);
    expect([line.totalCost, line.totalPrice]).toEqual(total);
    expect(line.effectiveDate).toBe('2021-03-01');
    expect(line.cancelledDate).toBe('2021-03-31');
    expect(line.invoiceDescription).toBe(description);
    expect(line.quantity).toBe(quantity);
  });

  it.each([
    [{ months: 0 }, 'extraMonths.months'],
    [{ startMonth: '2021-13' }, 'extraMonths.startMonth'],
    [{ effectiveDate: '2021-02-30' }, 'extraMonths.effectiveDate'],
    [{ quantity: -1 }, 'extraMonths.quantity'],
  ])('rejects %o', (bad, field) => {
    const input = {
      effectiveDate: '2021-03-01',
      quantity: 1,
      startMonth: '2021-02',
      months: 1,
      unitCost: 1,
      unitPrice: 1,
      shortDescription: SHORT,
    };
    expect(() => extraMonthsAddition({ ...input, ...bad })).toThrowError(expect.objectContaining({ field }));
  });
});

describe('money and dates', () => {
  it.each([
    ['20.00', 2000],
    [20, 2000],
    ['5.03', 503],
    [0.1 + 0.2, 30],
    ['1.230', 123],
    ['$7.50', 750],
    ['0', 0],
    [99999.99, 9999999],
  ])('toCents(%s) = %i', (input, cents) => {
    expect(toCents(input, 'x')).toBe(cents);
  });

  it.each(['-1', '1.234', 'abc', '', Number.NaN, -0.01, 1.005])('toCents rejects %s', (input) => {
    expect(() => toCents(input, 'price')).toThrowError(
      expect.objectContaining({ name: 'BillingInputError', field: 'price' }),
    );
  });

  it.each([
    [2023, 2, 28],
    [2024, 2, 29],
    [2100, 2, 28],
    [2000, 2, 29],
    [2023, 4, 30],
    [2023, 12, 31],
  ])('daysInMonth(%i, %i) = %i', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  it.each([
    ['2021-03-01', '2021-02-28'],
    ['2024-03-01', '2024-02-29'],
    ['2021-01-01', '2020-12-31'],
    ['2021-01-15', '2021-01-14'],
  ])('dayBefore(%s) = %s', (date, expected) => {
    expect(dayBefore(date)).toBe(expected);
  });

  it.each([
    ['2020-11', 3, '2021-02'],
    ['2021-01', -1, '2020-12'],
    ['2021-01', -13, '2019-12'],
  ])('addMonths(%s, %i) = %s', (month, n, expected) => {
    expect(addMonths(month, n)).toBe(expected);
  });
});
