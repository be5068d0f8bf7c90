// Invariant: a subscription whose additions were written exactly as the spec says (the recurring line at the
// current seats and price, one prorate line per due increase under the threshold rule, effective the month
// after the change or later) is judged synced, with 0.00 difference in every month judged, whatever the day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  daysInMonth,
  firstOfMonth,
  isoDate,
  laterOf,
  monthOf,
} from '../../server/billing/dates.ts';
import { formatCents } from '../../server/billing/money.ts';
import { planProrates, type QuantityChange } from '../../server/billing/prorate.ts';
import { judge } from '../../server/judgement/index.ts';
import type { JudgeAddition } from '../../server/judgement/types.ts';

const day = fc
  .record({ year: fc.integer({ min: 2021, max: 2029 }), month: fc.integer({ min: 1, max: 12 }), d: fc.nat() })
  .map(({ year, month, d }) => isoDate(year, month, (d % daysInMonth(year, month)) + 1));

/** A date `back` months before `today` (same month: not after today). */
function before(today: string, back: number, d: number): string {
  const month = addMonths(monthOf(today), -back);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = back === 0 ? Number(today.slice(8)) : daysInMonth(y, m);
  return isoDate(y, m, (d % last) + 1);
}

const scenario = fc.record({
  today: day,
  advance: fc.integer({ min: 0, max: 2 }),
  price: fc.integer({ min: 100, max: 10_000 }),
  margin: fc.integer({ min: 0, max: 100 }),
  changes: fc.array(
    fc.record({
      back: fc.integer({ min: 0, max: 8 }),
      d: fc.nat(),
      quantity: fc.integer({ min: 0, max: 20 }),
    }),
    {
      minLength: 1,
      maxLength: 6,
    },
  ),
  late: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
});

describe('judge: additions written as the spec says are synced', () => {
  it('0.00 difference every month, status synced', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { today } = sc;
        const first = addMonths(monthOf(today), 1 + sc.advance);
        const price = sc.price;
        const cost = Math.floor((price * (100 - sc.margin)) / 100);
        const history: QuantityChange[] = sc.changes
          .map((c) => ({ date: before(today, c.back, c.d), quantity: c.quantity }))
          .sort((a, b) => a.date.localeCompare(b.date));
        if (history[0]) history[0].quantity = Math.max(1, history[0].quantity);
        const quantity = history.at(-1)?.quantity ?? 0;
        const additions: JudgeAddition[] = [];
        const marker = (kind: string) => ({ subscriptionId: 'sub-1', kind });
        if (quantity > 0) {
          additions.push({
            id: 1,
            agreementId: 10,
            catalogId: 682,
            quantity,
            unitPrice: price / 100,
            unitCost: cost / 100,
            effectiveDate: firstOfMonth(monthOf(history[0]?.date ?? today)),
            cancelledDate: null,
            marker: marker('recurring'),
          });
        }
        const months = [...new Set(history.map((c) => monthOf(c.date)))];
        let n = 0;
        for (const month of months) {
          const lines = planProrates({
            month,
            billedAtMonthStart:
              [...history].reverse().find((c) => c.date < firstOfMonth(month))?.quantity ?? 0,
            changes: history.filter((c) => monthOf(c.date) === month),
            threshold: true,
            unitCost: formatCents(cost),
            unitPrice: formatCents(price),
          });
          for (const line of lines) {
            // Written on time (the first of the next month) or by a late sync (the first un-invoiced month).
            const effectiveDate = sc.late[n % 12] ? firstOfMonth(first) : line.effectiveDate;
            n++;
            additions.push({
              id: 100 + n,
              agreementId: 10,
              catalogId: 682,
              quantity: line.quantityIncrease,
              unitPrice: Number(line.unitPrice),
              unitCost: Number(line.unitCost),
              effectiveDate: laterOf(effectiveDate, line.effectiveDate),
              cancelledDate: null,
              marker: marker('prorate'),
            });
          }
        }
        const { verdicts } = judge({
          today,
          subscriptions: [
            {
              id: 'sub-1',
              productId: 'p-e3',
              productName: 'E3',
              billingTerm: 'Monthly',
              status: 'Active',
              quantity,
              price: formatCents(price),
              partnerCost: formatCents(cost),
              startDate: history[0]?.date ?? today,
              endDate: null,
              updatedDate: null,
              history,
            },
          ],
          agreements: [{ id: 10, status: 'Active', nextInvoiceDate: firstOfMonth(first) }],
          additions: additions.map((a) => ({
            ...a,
            cancelledDate: a.marker?.kind === 'prorate' ? endOfEffectiveMonth(a) : null,
          })),
          productBindings: [{ pax8ProductId: 'p-e3', billingTerm: 'Monthly', cwCatalogId: 682, price: null }],
        });
        const v = verdicts[0];
        expect(v?.months.map((m) => m.should - m.will)).toEqual([0, 0, 0]);
        expect(v?.backBill).toBe(0);
        expect(v?.olderShortfall).toBe(0);
        expect(v?.status).toBe('synced');
      }),
      { numRuns: 300 },
    );
  });
});

function endOfEffectiveMonth(a: JudgeAddition): string {
  const month = monthOf(a.effectiveDate ?? '');
  const [y, m] = month.split('-').map(Number) as [number, number];
  return isoDate(y, m, daysInMonth(y, m));
}
