// Demo usage (Azure-style, billed in arrears) and monthly invoices derived from the demo subscriptions:
// advance 'subscription' items, 'prorate' items for last month's seat changes, and 'Arrears' usage items.
import { uuidFrom } from '../demo/ids.ts';
import type { Pax8Data } from './data.ts';
import { addDays, dayOf, daysInMonth, isoOf, monthEnd, monthStart, round2 } from './dates.ts';
import type { InvoiceItem, Subscription, UsageLine } from './types.ts';

const resourceGroups = ['rg-production', 'rg-backup'];

/** How many whole months of usage the demo starts with (so 2–3 of them are closed, i.e. invoiced). */
const USAGE_MONTHS_BACK = 3;

const isUsage = (sub: Subscription) =>
  sub.price === 0 && sub.partnerCost === 0 && sub.billingTerm === 'Monthly' && sub.status === 'Active';

/**
 * Daily usage of the usage subscriptions up to yesterday (vendors post each day; the latest post is the day's),
 * from USAGE_MONTHS_BACK months before `now` or the subscription's start. Called again as the sandbox clock
 * moves: it adds only the days not posted yet, and the summaries always total the month of `now`.
 */
export function addDemoUsage(data: Pax8Data, now: Date): void {
  const today = dayOf(now);
  for (const { current: sub } of data.subscriptions.values()) {
    if (!isUsage(sub)) continue;
    resourceGroups.forEach((resourceGroup, g) => {
      const id = uuidFrom(`pax8-usage:${sub.id}:${resourceGroup}`);
      const posted = data.usageLines.get(id) ?? [];
      const last = posted.at(-1)?.usageDate;
      const first = last
        ? addDays(last, 1)
        : isoOf(laterDay(dayOf(sub.startDate), dayOf(monthStart(now, -USAGE_MONTHS_BACK))));
      const lines: UsageLine[] = [];
      for (let d = first; dayOf(d) < today; d = addDays(d, 1)) {
        const n = Number(dayOf(d).slice(8, 10));
        const charges = round2(3.5 + g * 1.25 + (n % 5) * 0.4);
        lines.push({
          usageSummaryId: id,
          usageDate: dayOf(d),
          productName: g === 0 ? 'Virtual Machines Dv3 Series' : 'Blob Storage Hot LRS',
          productId: sub.productId,
          unitOfMeasure: g === 0 ? '1 Hour' : '1 GB/Month',
          quantity: g === 0 ? 24 : 50 + n,
          currentCharges: charges,
          currentProfit: round2(charges * 0.15),
          partnerTotal: round2(charges * 0.85),
          unitPrice: round2(charges / (g === 0 ? 24 : 50 + n)),
          currencyCode: 'USD',
          isTrial: false,
        });
      }
      const thisMonth = [...posted, ...lines].filter((l) => l.usageDate >= dayOf(monthStart(now)));
      data.addUsage(
        {
          id,
          companyId: sub.companyId,
          productId: sub.productId,
          subscriptionId: sub.id,
          resourceGroup,
          vendorName: 'Microsoft',
          currentCharges: round2(thisMonth.reduce((t, l) => t + l.currentCharges, 0)),
          currencyCode: 'USD',
          partnerTotal: round2(thisMonth.reduce((t, l) => t + l.partnerTotal, 0)),
          isTrial: false,
        },
        lines,
      );
    });
  }
}

const laterDay = (a: string, b: string) => (a > b ? a : b);

/**
 * Invoices dated the 4th of each month whose 4th has passed: the last three at first, then each new month as
 * the sandbox clock passes its 4th (a month of usage is closed once the invoice holding it exists).
 */
export function addDemoInvoices(data: Pax8Data, now: Date): void {
  const dates = [...data.invoices.values()].map((x) => x.invoice.invoiceDate).sort();
  const latest = dates.at(-1);
  let month = latest ? monthStart(latest, 1) : monthStart(now, -(USAGE_MONTHS_BACK - 1));
  for (; month <= monthStart(now); month = monthStart(month, 1)) {
    const invoiceDate = dayOf(addDays(month, 3));
    if (invoiceDate > dayOf(now)) break;
    const items = invoiceItems(data, month, monthStart(month, -1));
    const total = round2(items.reduce((t, i) => t + i.total, 0));
    const current = month === monthStart(now);
    data.addInvoice(
      {
        id: uuidFrom(`pax8-invoice:${invoiceDate}`),
        invoiceDate,
        dueDate: dayOf(addDays(invoiceDate, 30)),
        balance: current ? total : 0,
        carriedBalance: 0,
        total,
        currencyCode: 'USD',
        partnerName: data.partnerName,
        companyId: null,
        externalId: null,
        status: current ? 'Unpaid' : 'Paid',
      },
      items,
    );
  }
}

/** Brings the demo's usage and invoices up to `now` (the sandbox clock): usage first, so an invoice holds it all. */
export function advanceDemoBilling(data: Pax8Data, now: Date): void {
  addDemoUsage(data, now);
  addDemoInvoices(data, now);
}

function quantityAt(history: Subscription[], at: string): number | undefined {
  let quantity: number | undefined;
  for (const snap of history) if (snap.updatedDate <= at) quantity = snap.quantity;
  return quantity;
}

export function invoiceItems(
  data: Pax8Data,
  month: string,
  previous: string,
  companyId?: string,
): InvoiceItem[] {
  const items: InvoiceItem[] = [];
  const from = dayOf(previous);
  const to = monthEnd(previous);
  for (const { current: sub, history } of data.subscriptions.values()) {
    if (companyId !== undefined && sub.companyId !== companyId) continue;
    const company = data.companies.get(sub.companyId);
    const product = data.products.get(sub.productId)?.detail;
    if (!company || !product || sub.billingTerm !== 'Monthly' || sub.status === 'Trial') continue;
    const item = (
      n: number,
      fields: Partial<InvoiceItem> & Pick<InvoiceItem, 'type' | 'term' | 'quantity'>,
    ) => {
      const price = fields.price ?? sub.price;
      const cost = fields.cost ?? sub.partnerCost;
      const subTotal = fields.subTotal ?? round2(fields.quantity * price);
      const costTotal = fields.costTotal ?? round2(fields.quantity * cost);
      items.push({
        id: uuidFrom(`pax8-item:${month}:${sub.id}:${n}`),
        purchaseOrderNumber: null,
        companyId: company.id,
        externalId: company.externalId,
        companyName: company.name,
        startPeriod: dayOf(month),
        endPeriod: monthEnd(month),
        unitOfMeasure: 'User',
        sku: product.sku,
        description: product.name,
        details: null,
        rateType: 'Flat',
        chargeType: 'per',
        offeredBy: 'Pax8',
        billedByPax8: true,
        productId: product.id,
        productName: product.name,
        billingFee: 0,
        billingFeeRate: 0,
        amountDue: costTotal,
        currencyCode: 'USD',
        salesTax: 0,
        subscriptionId: sub.id,
        vendorName: product.vendorName,
        price,
        cost,
        subTotal,
        costTotal,
        total: costTotal,
        ...fields,
      });
    };
    if (sub.price === 0 && sub.partnerCost === 0) {
      const lines = [...data.usageSummaries.values()]
        .filter((u) => u.subscriptionId === sub.id)
        .flatMap((u) => data.usageLines.get(u.id) ?? [])
        .filter((l) => l.usageDate >= from && l.usageDate <= to);
      if (lines.length === 0) continue;
      const charges = round2(lines.reduce((t, l) => t + l.currentCharges, 0));
      const partner = round2(lines.reduce((t, l) => t + l.partnerTotal, 0));
      item(0, {
        type: 'subscription',
        term: 'Arrears',
        quantity: 1,
        unitOfMeasure: 'Each',
        chargeType: 'flat',
        startPeriod: from,
        endPeriod: to,
        price: charges,
        cost: partner,
      });
      continue;
    }
    const billed = quantityAt(history, isoOf(month));
    if (billed !== undefined && (sub.endDate === null || sub.endDate > isoOf(month))) {
      item(0, { type: 'subscription', term: 'Monthly', quantity: billed });
    }
    // Mid-month changes of the previous month, prorated to its end (inclusive days).
    history.forEach((snap, i) => {
      const before = history[i - 1];
      const changed = dayOf(snap.updatedDate);
      if (!before || changed < from || changed > to || snap.quantity === before.quantity) return;
      const delta = snap.quantity - before.quantity;
      const share = (daysInMonth(previous) - Number(changed.slice(8, 10)) + 1) / daysInMonth(previous);
      item(i, {
        type: 'prorate',
        term: 'Monthly',
        quantity: delta,
        startPeriod: changed,
        endPeriod: to,
        subTotal: round2(delta * sub.price * share),
        costTotal: round2(delta * sub.partnerCost * share),
        total: round2(delta * sub.partnerCost * share),
        amountDue: round2(delta * sub.partnerCost * share),
      });
    });
  }
  return items;
}

/**
 * GET /invoices/draftItems: what the next invoice will hold for the current month (monthOffset 0) or the next
 * (1), from the subscriptions as they stand. Pax8: "does not include charges for usage-based products billed
 * in arrears".
 */
export function draftItems(data: Pax8Data, now: Date, monthOffset: 0 | 1, companyId?: string): InvoiceItem[] {
  return invoiceItems(data, monthStart(now, monthOffset), monthStart(now, monthOffset - 1), companyId).filter(
    (i) => i.term !== 'Arrears',
  );
}
