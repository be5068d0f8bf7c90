// The agreement's invoices as the emulated ConnectWise ran them: one row per line, a total row per invoice.
import { useEffect } from 'preact/hooks';
import type { ClockModel } from './clock-model.ts';

export function InvoicesTable({ clock, agreementId }: { clock: ClockModel; agreementId: number }) {
  const today = clock.today.value;
  useEffect(() => {
    // Read once the date is known (it comes with the page, else from /sandbox/clock), and again when it moves.
    if (today === undefined) return;
    void clock.loadInvoices(agreementId);
  }, [clock, agreementId, today]);
  const loaded = clock.invoices.value;
  const list = loaded?.agreementId === agreementId ? loaded.list : undefined;
  const error = clock.invoicesError.value;
  return (
    <section class="cw-invoices" aria-labelledby="cw-invoices-title">
      <h2 id="cw-invoices-title">Invoices</h2>
      {error && <p class="cw-hint">Could not read the invoices: {error}</p>}
      {list?.length === 0 && (
        <p class="cw-hint">
          No invoice yet: agreement invoicing runs when the sandbox date reaches the next invoice date.
        </p>
      )}
      {list && list.length > 0 && (
        <table class="cw-grid">
          <caption class="sr-only">Invoices of this agreement, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Invoice date</th>
              <th scope="col">Period</th>
              <th scope="col">Description</th>
              <th scope="col" class="num">
                Qty
              </th>
              <th scope="col" class="num">
                Unit price
              </th>
              <th scope="col" class="num">
                Amount
              </th>
            </tr>
          </thead>
          {[...list].reverse().map((invoice) => {
            const span = invoice.lines.length + 1;
            const head = (
              <>
                <th scope="rowgroup" rowSpan={span}>
                  {invoice.date}
                </th>
                <td rowSpan={span}>
                  {invoice.periodStart} – {invoice.periodEnd}
                </td>
              </>
            );
            // One row group per invoice, so its date heads every line of it for a screen reader.
            return (
              <tbody key={invoice.date}>
                {invoice.lines.map((line, i) => (
                  <tr key={line.additionId}>
                    {i === 0 && head}
                    <td>{line.description}</td>
                    <td class="num">{line.quantity}</td>
                    <td class="num">{line.unitPrice}</td>
                    <td class="num">{line.amount}</td>
                  </tr>
                ))}
                <tr class="cw-total">
                  {invoice.lines.length === 0 && head}
                  <td colSpan={3}>Total</td>
                  <td class="num">{invoice.total}</td>
                </tr>
              </tbody>
            );
          })}
        </table>
      )}
    </section>
  );
}
