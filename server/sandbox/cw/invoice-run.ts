// The emulated CW's agreement invoice run over its tables: bills every Active agreement whose next invoice date
// has come (invoicing.ts decides the lines), keeps the invoices, and advances the agreement's nextInvoiceDate.
import { type AgreementInvoice, type BillableAddition, cycleMonthsOf, invoicesThrough } from './invoicing.ts';
import { type CwData, cwDate, type Row } from './store.ts';

export type CwInvoicing = {
  /** Runs every invoice due on or before `today` (YYYY-MM-DD); returns how many were created. */
  runThrough(today: string): number;
  /** The agreement's invoices, oldest first. */
  list(agreementId: number): AgreementInvoice[];
};

const dayOf = (value: unknown): string | null =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;

function billable(row: Row): BillableAddition {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    id: row.id,
    description: text(row.invoiceDescription) || text(row.description),
    quantity: typeof row.quantity === 'number' ? row.quantity : 0,
    unitPrice: typeof row.unitPrice === 'number' ? row.unitPrice : 0,
    billCustomer: text(row.billCustomer) || 'Billable',
    effectiveDate: dayOf(row.effectiveDate),
    cancelledDate: dayOf(row.cancelledDate),
  };
}

export function createCwInvoicing(data: CwData): CwInvoicing {
  const invoices = new Map<number, AgreementInvoice[]>();
  // The day of month each agreement's invoices fall on, kept while the run itself moves the date, so a
  // schedule on the 31st comes back to the 31st after February.
  const anchors = new Map<number, { day: number; lastSet: string }>();

  function runThrough(today: string): number {
    let created = 0;
    for (const agreement of data.tables.agreements.rows.values()) {
      if (agreement.agreementStatus !== 'Active') continue;
      const next = dayOf(agreement.nextInvoiceDate);
      if (!next || next > today) continue;
      const known = anchors.get(agreement.id);
      const anchorDay = known && known.lastSet === next ? known.day : Number(next.slice(8, 10));
      const cycle = cycleMonthsOf((agreement.billingCycle as { name?: string } | undefined)?.name);
      const additions = [...data.tables.additions.rows.values()]
        .filter((a) => a.agreementId === agreement.id)
        .map(billable);
      const run = invoicesThrough({ nextInvoiceDate: next, cycleMonths: cycle, anchorDay }, additions, today);
      invoices.set(agreement.id, [...(invoices.get(agreement.id) ?? []), ...run.invoices]);
      agreement.nextInvoiceDate = cwDate(new Date(`${run.nextInvoiceDate}T00:00:00Z`));
      anchors.set(agreement.id, { day: anchorDay, lastSet: run.nextInvoiceDate });
      created += run.invoices.length;
    }
    return created;
  }

  return { runThrough, list: (agreementId) => invoices.get(agreementId) ?? [] };
}
