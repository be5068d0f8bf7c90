import { describe, expect, it } from 'vitest';
import { planProrates, prorateLine } from '../../server/billing/index.ts';
import { rng } from '../../server/sandbox/demo/ids.ts';

type Row = {
  name: string;
  changeDate: string;
  quantity: number;
  cost: number | string;
  price: number | string;
  countChangeDay?: boolean;
  expected: [
    unitCost: string,
    unitPrice: string,
    totalCost: string,
    totalPrice: string,
    periodEnd: string,
    effective: string,
    cancelled: string,
  ];
};

// biome-ignore format: one row per case
const rows: Row[] = [
  // The guide's figures, (D − d)/D.
  { name: 'guide Sep 9 2020', changeDate: '2020-09-09', quantity: 1, cost: '20.00', price: '25.00', expected: ['14.00', '17.50', '14.00', '17.50', '2020-09-30', '2020-10-01', '2020-10-31'] },
  { name: 'guide Aug 5 2020, 12 seats', changeDate: '2020-08-05', quantity: 12, cost: '5.00', price: '6.00', expected: ['4.19', '5.03', '50.28', '60.36', '2020-08-31', '2020-09-01', '2020-09-30'] },
  { name: 'guide Aug 17 2020', changeDate: '2020-08-17', quantity: 1, cost: 5, price: 6, expected: ['2.26', '2.71', '2.26', '2.71', '2020-08-31', '2020-09-01', '2020-09-30'] },
  { name: 'guide Feb 4 2021, 2 seats', changeDate: '2021-02-04', quantity: 2, cost: 20, price: 25, expected: ['17.14', '21.43', '34.28', '42.86', '2021-02-28', '2021-03-01', '2021-03-31'] },
  { name: 'guide Feb 17 2021', changeDate: '2021-02-17', quantity: 1, cost: '20', price: '25', expected: ['7.86', '9.82', '7.86', '9.82', '2021-02-28', '2021-03-01', '2021-03-31'] },
  // Every month length.
  { name: '28 days (2023-02)', changeDate: '2023-02-07', quantity: 1, cost: '28.00', price: '56.00', expected: ['21.00', '42.00', '21.00', '42.00', '2023-02-28', '2023-03-01', '2023-03-31'] },
  { name: '29 days (2024-02 leap)', changeDate: '2024-02-10', quantity: 1, cost: '29.00', price: '58.00', expected: ['19.00', '38.00', '19.00', '38.00', '2024-02-29', '2024-03-01', '2024-03-31'] },
  { name: '2100-02 is not leap', changeDate: '2100-02-10', quantity: 1, cost: '28.00', price: '56.00', expected: ['18.00', '36.00', '18.00', '36.00', '2100-02-28', '2100-03-01', '2100-03-31'] },
  { name: '2000-02 is leap', changeDate: '2000-02-10', quantity: 1, cost: '29.00', price: '58.00', expected: ['19.00', '38.00', '19.00', '38.00', '2000-02-29', '2000-03-01', '2000-03-31'] },
  { name: '30 days (April)', changeDate: '2023-04-10', quantity: 1, cost: '30.00', price: '60.00', expected: ['20.00', '40.00', '20.00', '40.00', '2023-04-30', '2023-05-01', '2023-05-31'] },
  { name: '31 days (January)', changeDate: '2023-01-10', quantity: 1, cost: '31.00', price: '62.00', expected: ['21.00', '42.00', '21.00', '42.00', '2023-01-31', '2023-02-01', '2023-02-28'] },
  // First and last day, both day-count settings.
  { name: 'first day', changeDate: '2023-03-01', quantity: 1, cost: '31.00', price: '62.00', expected: ['30.00', '60.00', '30.00', '60.00', '2023-03-31', '2023-04-01', '2023-04-30'] },
  { name: 'first day, count change day', changeDate: '2023-03-01', quantity: 1, cost: '31.00', price: '62.00', countChangeDay: true, expected: ['31.00', '62.00', '31.00', '62.00', '2023-03-31', '2023-04-01', '2023-04-30'] },
  { name: 'last day, count change day', changeDate: '2023-03-31', quantity: 2, cost: '31.00', price: '62.00', countChangeDay: true, expected: ['1.00', '2.00', '2.00', '4.00', '2023-03-31', '2023-04-01', '2023-04-30'] },
  { name: 'guide Sep 9, count change day', changeDate: '2020-09-09', quantity: 1, cost: '20.00', price: '25.00', countChangeDay: true, expected: ['14.67', '18.33', '14.67', '18.33', '2020-09-30', '2020-10-01', '2020-10-31'] },
  { name: 'December rolls into next year', changeDate: '2023-12-15', quantity: 1, cost: '31.00', price: '31.00', countChangeDay: true, expected: ['17.00', '17.00', '17.00', '17.00', '2023-12-31', '2024-01-01', '2024-01-31'] },
  // Exact arithmetic and rounding at exactly half a cent.
  { name: '20.00 × 9/30 is 6.00, not 5.99', changeDate: '2023-04-21', quantity: 3, cost: '20.00', price: 20, expected: ['6.00', '6.00', '18.00', '18.00', '2023-04-30', '2023-05-01', '2023-05-31'] },
  { name: 'half cent rounds up (0.005 → 0.01, 0.015 → 0.02)', changeDate: '2023-04-15', quantity: 1, cost: '0.01', price: '0.03', expected: ['0.01', '0.02', '0.01', '0.02', '2023-04-30', '2023-05-01', '2023-05-31'] },
  { name: 'half cent rounds up (10.005 → 10.01, 10.015 → 10.02)', changeDate: '2023-04-15', quantity: 3, cost: '20.01', price: '20.03', expected: ['10.01', '10.02', '30.03', '30.06', '2023-04-30', '2023-05-01', '2023-05-31'] },
  { name: 'half cent in February (0.125 → 0.13)', changeDate: '2023-02-14', quantity: 1, cost: '0.25', price: '0.25', expected: ['0.13', '0.13', '0.13', '0.13', '2023-02-28', '2023-03-01', '2023-03-31'] },
  { name: 'just under half a cent rounds down (0.00466 → 0.00)', changeDate: '2023-04-16', quantity: 1, cost: '0.01', price: '0.01', expected: ['0.00', '0.00', '0.00', '0.00', '2023-04-30', '2023-05-01', '2023-05-31'] },
  { name: 'zero prices', changeDate: '2020-09-09', quantity: 5, cost: 0, price: '0.00', expected: ['0.00', '0.00', '0.00', '0.00', '2020-09-30', '2020-10-01', '2020-10-31'] },
  { name: '100000 seats', changeDate: '2020-09-09', quantity: 100000, cost: '20.00', price: '25.00', expected: ['14.00', '17.50', '1400000.00', '1750000.00', '2020-09-30', '2020-10-01', '2020-10-31'] },
  { name: 'big price, 100000 seats', changeDate: '2020-09-09', quantity: 100000, cost: '99999.99', price: '99999.99', expected: ['69999.99', '69999.99', '6999999000.00', '6999999000.00', '2020-09-30', '2020-10-01', '2020-10-31'] },
];

describe('prorateLine', () => {
  it.each(rows)('$name', ({ changeDate, quantity, cost, price, countChangeDay, expected }) => {
    const [unitCost, unitPrice, totalCost, totalPrice, periodEnd, effectiveDate, cancelledDate] = expected;
    expect(
      prorateLine({
        changeDate,
        quantityIncrease: quantity,
        unitCost: cost,
        unitPrice: price,
        ...(countChangeDay ? { countChangeDay } : {}),
      }),
    ).toEqual({
      periodStart: changeDate,
      periodEnd,
      unitCost,
      unitPrice,
      totalCost,
      totalPrice,
      effectiveDate,
      cancelledDate,
    });
  });

  it.each(['2023-03-31', '2024-02-29', '2023-02-28', '2023-04-30'])(
    'a change on the last day (%s) gives no prorate',
    (changeDate) => {
      expect(
        prorateLine({ changeDate, quantityIncrease: 1, unitCost: '20.00', unitPrice: '25.00' }),
      ).toBeNull();
    },
  );

  it.each([
    { changeDate: '2023-02-29', field: 'changeDate' },
    { changeDate: '2023-13-01', field: 'changeDate' },
    { changeDate: '9/9/2020', field: 'changeDate' },
  ])('rejects $changeDate', ({ changeDate, field }) => {
    expect(() => prorateLine({ changeDate, quantityIncrease: 1, unitCost: 1, unitPrice: 1 })).toThrowError(
      expect.objectContaining({ name: 'BillingInputError', field }),
    );
  });
});

type MonthRow = {
  name: string;
  billed: number;
  changes: Array<[date: string, quantity: number]>;
  threshold: boolean;
  countChangeDay?: boolean;
  expected: Array<
    [
      changeKey: string,
      increase: number,
      quantity: number,
      unitCost: string,
      unitPrice: string,
      totalPrice: string,
    ]
  >;
};

// March 2021 has 31 days; cost 31.00 and price 62.00 make each day worth 1.00 / 2.00.
// biome-ignore format: one row per case
const monthRows: MonthRow[] = [
  { name: 'spec: 10, 8 on the 5th, 12 on the 10th, threshold on', billed: 10, changes: [['2021-03-05', 8], ['2021-03-10', 12]], threshold: true, expected: [['2021-03-10#1', 2, 12, '21.00', '42.00', '84.00']] },
  { name: 'spec: 10, 8 on the 5th, 12 on the 10th, threshold off', billed: 10, changes: [['2021-03-05', 8], ['2021-03-10', 12]], threshold: false, expected: [['2021-03-10#1', 4, 12, '21.00', '42.00', '168.00']] },
  { name: 'up, down, up, threshold on', billed: 5, changes: [['2021-03-05', 7], ['2021-03-10', 6], ['2021-03-20', 9]], threshold: true, expected: [['2021-03-05#1', 2, 7, '26.00', '52.00', '104.00'], ['2021-03-20#1', 2, 9, '11.00', '22.00', '44.00']] },
  { name: 'up, down, up, threshold off', billed: 5, changes: [['2021-03-05', 7], ['2021-03-10', 6], ['2021-03-20', 9]], threshold: false, expected: [['2021-03-05#1', 2, 7, '26.00', '52.00', '104.00'], ['2021-03-20#1', 3, 9, '11.00', '22.00', '66.00']] },
  { name: 'down then up, threshold on', billed: 10, changes: [['2021-03-03', 4], ['2021-03-25', 11]], threshold: true, expected: [['2021-03-25#1', 1, 11, '6.00', '12.00', '12.00']] },
  { name: 'down then up, threshold off', billed: 10, changes: [['2021-03-03', 4], ['2021-03-25', 11]], threshold: false, expected: [['2021-03-25#1', 7, 11, '6.00', '12.00', '84.00']] },
  { name: 'down then back to the billed quantity, threshold on', billed: 10, changes: [['2021-03-03', 4], ['2021-03-25', 10]], threshold: true, expected: [] },
  { name: 'several increases, two on one day', billed: 1, changes: [['2021-03-02', 2], ['2021-03-02', 3], ['2021-03-15', 5]], threshold: true, expected: [['2021-03-02#1', 1, 2, '29.00', '58.00', '58.00'], ['2021-03-02#2', 1, 3, '29.00', '58.00', '58.00'], ['2021-03-15#1', 2, 5, '16.00', '32.00', '64.00']] },
  { name: 'decrease only', billed: 10, changes: [['2021-03-12', 6]], threshold: true, expected: [] },
  { name: 'new subscription mid-month (billed 0)', billed: 0, changes: [['2021-03-11', 4]], threshold: true, expected: [['2021-03-11#1', 4, 4, '20.00', '40.00', '160.00']] },
  { name: 'last-day increase, default rule', billed: 2, changes: [['2021-03-31', 5]], threshold: true, expected: [] },
  { name: 'last-day increase, count change day', billed: 2, changes: [['2021-03-31', 5]], threshold: true, countChangeDay: true, expected: [['2021-03-31#1', 3, 5, '1.00', '2.00', '6.00']] },
];

describe('planProrates', () => {
  it.each(monthRows)('$name', ({ billed, changes, threshold, countChangeDay, expected }) => {
    const lines = planProrates({
      month: '2021-03',
      billedAtMonthStart: billed,
      changes: changes.map(([date, quantity]) => ({ date, quantity })),
      threshold,
      unitCost: '31.00',
      unitPrice: '62.00',
      ...(countChangeDay ? { countChangeDay } : {}),
    });
    expect(
      lines.map((l) => [l.changeKey, l.quantityIncrease, l.quantity, l.unitCost, l.unitPrice, l.totalPrice]),
    ).toEqual(expected);
  });

  it('holds the guide August 2020 table (270 billed, 282 on the 5th, 283 on the 17th)', () => {
    const lines = planProrates({
      month: '2020-08',
      billedAtMonthStart: 270,
      changes: [
        { date: '2020-08-05', quantity: 282 },
        { date: '2020-08-17', quantity: 283 },
      ],
      threshold: true,
      unitCost: '5.00',
      unitPrice: '6.00',
    });
    expect(lines).toEqual([
      {
        changeKey: '2020-08-05#1',
        changeDate: '2020-08-05',
        quantityIncrease: 12,
        quantity: 282,
        periodStart: '2020-08-05',
        periodEnd: '2020-08-31',
        unitCost: '4.19',
        unitPrice: '5.03',
        totalCost: '50.28',
        totalPrice: '60.36',
        effectiveDate: '2020-09-01',
        cancelledDate: '2020-09-30',
      },
      {
        changeKey: '2020-08-17#1',
        changeDate: '2020-08-17',
        quantityIncrease: 1,
        quantity: 283,
        periodStart: '2020-08-17',
        periodEnd: '2020-08-31',
        unitCost: '2.26',
        unitPrice: '2.71',
        totalCost: '2.26',
        totalPrice: '2.71',
        effectiveDate: '2020-09-01',
        cancelledDate: '2020-09-30',
      },
    ]);
  });

  it('rejects a change outside the month', () => {
    expect(() =>
      planProrates({
        month: '2021-03',
        billedAtMonthStart: 0,
        changes: [{ date: '2021-04-01', quantity: 1 }],
        threshold: true,
        unitCost: 1,
        unitPrice: 1,
      }),
    ).toThrowError(expect.objectContaining({ field: 'changes[0].date' }));
  });
});

describe('prorate properties (seeded)', () => {
  const months = ['2021-02', '2024-02', '2100-02', '2000-02', '2023-04', '2023-01', '2023-12'];
  const cents = (s: string) => Math.round(Number(s) * 100);

  it('never bills more than a full month, and with the threshold never more seats than peak − billed start', () => {
    const next = rng(20200909);
    const pick = (n: number) => Math.floor(next() * n);
    for (let run = 0; run < 2000; run++) {
      const month = months[pick(months.length)] ?? '2021-02';
      const [y, m] = month.split('-').map(Number) as [number, number];
      const days = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 ? 30 : 31;
      const billed = pick(20);
      const dates = Array.from({ length: 1 + pick(6) }, () => 1 + pick(days)).sort((a, b) => a - b);
      const changes = dates.map((d) => ({
        date: `${month}-${String(d).padStart(2, '0')}`,
        quantity: pick(30),
      }));
      const costCents = pick(100000);
      const priceCents = pick(100000);
      const countChangeDay = next() < 0.5;
      const input = {
        month,
        billedAtMonthStart: billed,
        changes,
        unitCost: (costCents / 100).toFixed(2),
        unitPrice: (priceCents / 100).toFixed(2),
        countChangeDay,
      };
      const on = planProrates({ ...input, threshold: true });
      const off = planProrates({ ...input, threshold: false });
      for (const line of [...on, ...off]) {
        expect(cents(line.unitCost)).toBeLessThanOrEqual(costCents);
        expect(cents(line.unitPrice)).toBeLessThanOrEqual(priceCents);
        expect(line.quantityIncrease).toBeGreaterThan(0);
      }
      const peak = Math.max(billed, ...changes.map((c) => c.quantity));
      const seatsOn = on.reduce((sum, l) => sum + l.quantityIncrease, 0);
      expect(seatsOn).toBeLessThanOrEqual(peak - billed);
      expect(seatsOn).toBeLessThanOrEqual(off.reduce((sum, l) => sum + l.quantityIncrease, 0));
    }
  });
});
