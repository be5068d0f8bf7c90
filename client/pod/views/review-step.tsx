// REVIEW: every addition side by side, Pax8 vs ConnectWise (spec §6); each line can be ignored; Confirm Sync
// is disabled while applying, so a double click sends one apply.
import type { ReviewRow } from '../../state/plan-schemas.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { Notice } from '../../ui/notice.tsx';
import { ScrollBox } from '../../ui/scroll-box.tsx';

const fields: [label: string | ((r: ReviewRow) => string), key: keyof ReviewRow][] = [
  ['Product Name', 'productName'],
  ['Invoice Description', 'invoiceDescription'],
  ['Term', 'term'],
  ['Quantity', 'quantity'],
  ['Unit Cost', 'unitCost'],
  ['Unit Price', 'unitPrice'],
  [(r) => `${r.chargeLabel} Cost`, 'cost'],
  [(r) => `${r.chargeLabel} Price`, 'price'],
  ['Effective Date', 'effectiveDate'],
  ['End Date', 'endDate'],
  [periodLabel, 'proratedPeriod'],
  ['Bill Customer', 'billCustomer'],
  ['Taxable', 'taxable'],
];

/**
 * What the line's period is: a usage line bills a month of usage (in arrears) and a term line bills a whole
 * billing period (spec §5: "06/20/2026 - 06/19/2027" of an annual term is not prorated); only a prorate's is.
 */
function periodLabel(row: ReviewRow): string {
  if (row.kind === 'usage') return 'Usage Period';
  if (row.kind === 'period') return 'Billing Period';
  return 'Prorated Period';
}

export function ReviewStep({ model }: { model: WizardModel }) {
  const plan = model.plan.value;
  const apply = model.apply.value;
  const ignored = model.ignored.value;
  if (!plan) return null;
  const applying = apply.status === 'applying';
  // aria-disabled, not disabled: a disabled button drops keyboard focus to the body, and a failed sync
  // should leave focus on Confirm to try again (a second press while applying joins the first).
  // After a conflict the plan is stale: Confirm waits for "Plan again" (or Back), it would only be refused again.
  const stale = apply.status === 'error' && apply.conflict === true;
  const ready = !applying && !stale && model.planState.value.status === 'ready';
  const writes = plan.review.filter((r) => r.action !== 'none' && !ignored.includes(r.key)).length;
  return (
    <div class="pv-step">
      <h4>Review</h4>
      {plan.review.length === 0 && <p class="pv-muted">Nothing to write: ConnectWise is already in step.</p>}
      {plan.review.map((row, i) => {
        const skip = ignored.includes(row.key);
        const titleId = `pv-review-title-${i}`;
        return (
          <section
            key={row.key}
            class={`pv-review${skip ? ' ignored' : ''}`}
            aria-label={row.title}
            data-key={row.key}
          >
            <div class="pv-bar">
              <h5 id={titleId}>{row.title}</h5>
              {skip && <span class="pv-ignored-tag">Ignored — will not be written</span>}
              {row.action !== 'none' && (
                <label class="pv-switch">
                  <input
                    type="checkbox"
                    checked={skip}
                    aria-describedby={titleId}
                    disabled={applying}
                    onChange={() => model.toggleIgnore(row.key)}
                  />{' '}
                  Ignore
                </label>
              )}
            </div>
            <ScrollBox label={`${row.title}: Pax8 vs ConnectWise`}>
              <table class="cw-table pv-side">
                <thead>
                  <tr>
                    <td class="pv-corner" />
                    <th scope="col">Pax8</th>
                    <th scope="col">ConnectWise</th>
                  </tr>
                </thead>
                <tbody>
                  {fields.map(([label, key]) => {
                    const side = row[key] as { pax8: string; connectWise: string };
                    if (!side.pax8 && !side.connectWise) return null;
                    return (
                      <tr key={key}>
                        <th scope="row">{typeof label === 'string' ? label : label(row)}:</th>
                        <td class="pv-val">{side.pax8}</td>
                        <td class="pv-val">{side.connectWise}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ScrollBox>
          </section>
        );
      })}
      <div aria-live="assertive">
        {apply.status === 'error' && apply.conflict && (
          <Notice
            tone="error"
            title="Changed in ConnectWise since this plan was made"
            action={{ label: 'Plan again', onClick: () => void model.planAgain() }}
          >
            <p>{apply.message}</p>
            <p>Nothing was written. Plan again to see what ConnectWise holds now, then confirm.</p>
          </Notice>
        )}
        {apply.status === 'error' && !apply.conflict && (
          <Notice tone="error" title="Not synced">
            <p>{apply.message}</p>
          </Notice>
        )}
        {applying && <Notice tone="progress" title="Writing to ConnectWise…" />}
      </div>
      <div class="pv-actions pv-nav">
        <button type="button" class="cw-button" disabled={applying} onClick={() => void model.back()}>
          Back
        </button>
        <button
          type="button"
          class="cw-button primary"
          aria-disabled={!ready}
          onClick={() => {
            if (ready) void model.confirm();
          }}
        >
          {applying ? 'Syncing…' : `Confirm Sync (${writes})`}
        </button>
      </div>
    </div>
  );
}
