// Agreement invoicing as ConnectWise runs it (shared/reference/connectwise.md §4.5.1), pure: which additions an
// invoice dated D bills, for how much, and where the next invoice date moves. Decisions (README "Sandbox"):
// - An invoice dated D bills the period [D, D + cycle − 1 day] in advance.
// - A one-time addition (effective and cancelled dates inside the same period) bills once, on the invoice of the
//   period its effective date falls in. Any other addition is recurring: it bills when it is active on the
//   period's first day: effective ≤ period start and (no cancelled date or cancelled ≥ period start). A recurring
//   addition starting inside a period first bills on the next invoice (the guide's prorates cover the gap).
// - Only Billable lines bill money; DoNotBill and NoCharge lines are shown with amount 0.00, as CW prints them.
// - Amount = quantity × unit price rounded half-up to cents (lessIncluded is not modelled: the pod never sets it).
// - The next invoice date advances by the billing cycle, keeping its day of month (the anchor): the 31st is
//   clamped to a shorter month's last day and comes back to the 31st after it (Jan 31 → Feb 28 → Mar 31).

export type BillableAddition = {
  id: number;
  description: string;
  quantity: number;
  unitPrice: number;
  billCustomer: string;
  /** YYYY-MM-DD, or null when unset (never billed). */
  effectiveDate: string | null;
  cancelledDate: string | null;
};

export type InvoiceLine = {
  additionId: number;
  description: string;
  quantity: number;
  unitPrice: string;
  amount: string;
};

export type AgreementInvoice = {
  date: string;
  periodStart: string;
  periodEnd: string;
  lines: InvoiceLine[];
  total: string;
};

export type Period = { start: string; end: string };

const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

/** `day` moved `months` months on, on the anchor day of month, clamped to the target month's last day. */
export function addMonthsOnAnchor(day: string, months: number, anchorDay: number): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month0 = index - year * 12;
  return `${year}-${pad(month0 + 1)}-${pad(Math.min(anchorDay, daysIn(year, month0)))}`;
}

function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function billingPeriod(invoiceDate: string, cycleMonths: number, anchorDay: number): Period {
  return { start: invoiceDate, end: dayBefore(addMonthsOnAnchor(invoiceDate, cycleMonths, anchorDay)) };
}

/** Months per CW billing cycle name; an unknown cycle bills monthly. */
export function cycleMonthsOf(name: string | undefined): number {
  const key = (name ?? '').toLowerCase().replace(/[^a-z]/g, '');
  const months: Record<string, number> = {
    monthly: 1,
    bimonthly: 2,
    quarterly: 3,
    semiannual: 6,
    annual: 12,
    yearly: 12,
  };
  return months[key] ?? 1;
}

const inside = (day: string, p: Period) => day >= p.start && day <= p.end;

export function billsInPeriod(a: BillableAddition, p: Period): boolean {
  if (!a.effectiveDate) return false;
  const oneTime = a.cancelledDate !== null && inside(a.effectiveDate, p) && inside(a.cancelledDate, p);
  if (oneTime) return true;
  return a.effectiveDate <= p.start && (a.cancelledDate === null || a.cancelledDate >= p.start);
}

export const centsOf = (amount: number): number => Math.round(Number((amount * 100).toFixed(6)));
export const money = (cents: number): string => {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${pad(abs % 100)}`;
};

export function invoiceFor(date: string, period: Period, additions: BillableAddition[]): AgreementInvoice {
  let total = 0;
  const lines = additions
    .filter((a) => billsInPeriod(a, period))
    .sort((a, b) => a.id - b.id)
    .map((a) => {
      const cents = a.billCustomer === 'Billable' ? centsOf(a.quantity * a.unitPrice) : 0;
      total += cents;
      return {
        additionId: a.id,
        description: a.description,
        quantity: a.quantity,
        unitPrice: money(centsOf(a.unitPrice)),
        amount: money(cents),
      };
    });
  return { date, periodStart: period.start, periodEnd: period.end, lines, total: money(total) };
}

export type InvoiceSchedule = { nextInvoiceDate: string; cycleMonths: number; anchorDay: number };

/** Every invoice due on or before `through` (YYYY-MM-DD), oldest first, and the next invoice date after them. */
export function invoicesThrough(
  schedule: InvoiceSchedule,
  additions: BillableAddition[],
  through: string,
): { invoices: AgreementInvoice[]; nextInvoiceDate: string } {
  const invoices: AgreementInvoice[] = [];
  let date = schedule.nextInvoiceDate;
  while (date <= through) {
    const period = billingPeriod(date, schedule.cycleMonths, schedule.anchorDay);
    invoices.push(invoiceFor(date, period, additions));
    date = addMonthsOnAnchor(date, schedule.cycleMonths, schedule.anchorDay);
  }
  return { invoices, nextInvoiceDate: date };
}
