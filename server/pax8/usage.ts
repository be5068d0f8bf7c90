// Usage billed in arrears as Pax8 reports it (reference §1.6): closed months from the 'Arrears' items of its
// invoices (final figures), the running month from the usage summaries (a preview, never billed).
import { formatCents, toCents } from '../billing/money.ts';
import type { SyncUsageMonth } from '../sync/ports.ts';

/** One subscription's usage month: Pax8's partner total (our cost) and its customer-facing charge, in dollars. */
export type UsageTotals = SyncUsageMonth;

/** The parts of the Pax8 client the usage reads (the real client fits). */
export type Pax8UsageReader = {
  usage: {
    summaries(
      subscriptionId: string,
    ): Promise<
      readonly { currentCharges?: number | null | undefined; partnerTotal?: number | null | undefined }[]
    >;
  };
  invoices: {
    all(filter: {
      invoiceDateRangeStart?: string;
    }): Promise<readonly { id: string; invoiceDate: string; status?: string | null | undefined }[]>;
    items(id: string): Promise<
      readonly {
        term?: string | null | undefined;
        subscriptionId?: string | null | undefined;
        startPeriod?: string | null | undefined;
        subTotal?: number | null | undefined;
        costTotal?: number | null | undefined;
      }[]
    >;
  };
};

// Each Pax8 figure to the cent (its decimal text, two places); a credit item (negative) keeps its sign and is
// netted into its month.
const cents = (n: number | null | undefined, field: string) => {
  const value = n ?? 0;
  const abs = toCents(Math.abs(value).toFixed(2), field);
  return value < 0 ? -abs : abs;
};

type MonthSum = { subscriptionId: string; month: string; cost: number; charges: number };

/**
 * An approved Pax8 invoice is final (a correction is a new invoice, the old one marked Credited: reference
 * §1.7), so each invoice's arrears sums are read once per client (per tenant and process) and kept.
 */
const invoiceSums = new WeakMap<object, Map<string, MonthSum[]>>();

// Void and Credited invoices no longer bill: a corrected invoice replaces a Credited one.
const REPLACED = new Set(['void', 'credited']);

async function arrearsOf(pax8: Pax8UsageReader, invoiceId: string): Promise<MonthSum[]> {
  let cache = invoiceSums.get(pax8.invoices);
  if (!cache) {
    cache = new Map();
    invoiceSums.set(pax8.invoices, cache);
  }
  const known = cache.get(invoiceId);
  if (known) return known;
  const sums = new Map<string, MonthSum>();
  for (const item of await pax8.invoices.items(invoiceId)) {
    if (item.term?.toLowerCase() !== 'arrears' || !item.subscriptionId || !item.startPeriod) continue;
    const month = item.startPeriod.slice(0, 7);
    const key = `${item.subscriptionId}|${month}`;
    const sum = sums.get(key) ?? { subscriptionId: item.subscriptionId, month, cost: 0, charges: 0 };
    sum.cost += cents(item.costTotal, 'invoice item costTotal');
    sum.charges += cents(item.subTotal, 'invoice item subTotal');
    sums.set(key, sum);
  }
  const out = [...sums.values()];
  cache.set(invoiceId, out);
  return out;
}

/**
 * Every subscription's closed usage months on the invoices dated from `since` (YYYY-MM-DD): one invoice list
 * walk, then one items walk per invoice not read before, whatever the number of subscriptions. A month is
 * closed once an invoice holds its arrears items; the month is the items' start period.
 */
export async function closedUsage(pax8: Pax8UsageReader, since: string): Promise<UsageTotals[]> {
  const invoices = await pax8.invoices.all({ invoiceDateRangeStart: since });
  const sums = new Map<string, MonthSum>();
  for (const invoice of invoices) {
    if (REPLACED.has((invoice.status ?? '').toLowerCase())) continue;
    for (const part of await arrearsOf(pax8, invoice.id)) {
      const key = `${part.subscriptionId}|${part.month}`;
      const sum = sums.get(key) ?? { ...part, cost: 0, charges: 0 };
      sum.cost += part.cost;
      sum.charges += part.charges;
      sums.set(key, sum);
    }
  }
  return [...sums.values()]
    .sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.month.localeCompare(b.month))
    .map((s) => ({
      subscriptionId: s.subscriptionId,
      month: s.month,
      partnerTotal: formatCents(s.cost),
      currentCharges: formatCents(s.charges),
    }));
}

/** The running month's usage so far (every usage summary of the subscription), or null when none is posted. */
export async function openUsage(
  pax8: Pax8UsageReader,
  subscriptionId: string,
  today: string,
): Promise<UsageTotals | null> {
  const summaries = await pax8.usage.summaries(subscriptionId);
  if (summaries.length === 0) return null;
  let cost = 0;
  let charges = 0;
  for (const s of summaries) {
    cost += cents(s.partnerTotal, 'usage summary partnerTotal');
    charges += cents(s.currentCharges, 'usage summary currentCharges');
  }
  return {
    subscriptionId,
    month: today.slice(0, 7),
    partnerTotal: formatCents(cost),
    currentCharges: formatCents(charges),
  };
}
