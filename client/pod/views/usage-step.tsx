// AGREEMENT for a usage product (Azure, billed in arrears, spec §5): no recurring addition, no seats; one line per
// month Pax8 has closed, with Pax8's partner total as cost and the price the binding's markup (or Pax8) gives.
import type { PlanOptions } from '../../state/plan-schemas.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { dollars, usDate } from '../../ui/format.ts';
import { Notice } from '../../ui/notice.tsx';
import { PlanBillFields } from './bill-fields.tsx';
import { RequiredLegend, SelectField, TextField } from './fields.tsx';
import { PlanStatus } from './plan-status.tsx';

export function UsageStep({ model }: { model: WizardModel }) {
  const open = model.open.value;
  const plan = model.plan.value;
  const planState = model.planState.value;
  const opts = model.options.value;
  if (!open) return null;
  const lines = plan?.additions.filter((a) => a.kind === 'usage') ?? [];
  const first = lines[0];
  const set = (patch: Partial<PlanOptions>) => void model.setOptions(patch);
  const busy = planState.status === 'planning';
  const invalid = model.invalid.value;
  const drafts = model.drafts.value;
  return (
    <div class="pv-step">
      <h4>Bill usage in arrears</h4>
      <p class="pv-muted">
        {open.row.subscription.productName} is billed after each month, from Pax8's invoice: one line per
        closed month, never a recurring addition.
      </p>
      <form class="pv-form pv-grid" onSubmit={(e) => e.preventDefault()} aria-busy={busy}>
        <RequiredLegend />
        <SelectField
          label="Agreement"
          required
          span="span2"
          value={String(model.agreementId.value ?? '')}
          options={open.agreements.map((a) => [String(a.id), a.name] as const)}
          onChange={(v) => void model.setAgreement(Number(v))}
        />
        <TextField
          label="Effective date"
          required
          type="date"
          min="2000-01-01"
          max="2099-12-31"
          value={
            drafts.effectiveDate ??
            opts.effectiveDate ??
            first?.effectiveDate ??
            plan?.defaultEffectiveDate ??
            ''
          }
          error={invalid.effectiveDate}
          onChange={(e) => void model.editField('effectiveDate', e.currentTarget.value)}
        />
        <PlanBillFields
          billCustomer={opts.billCustomer ?? first?.billCustomer ?? 'Billable'}
          taxable={opts.taxable ?? first?.taxable ?? false}
          onChange={set}
        />
      </form>
      <PlanStatus model={model} />
      {lines.length > 0 ? (
        <ul class="pv-list pv-usage-lines" aria-label="Usage months to bill">
          {lines.map((line) => (
            <li key={line.key}>
              <span>
                <strong>{line.invoiceDescription}</strong>
                <span class="pv-muted">
                  {' '}
                  · cost {dollars(line.unitCost)} · price {dollars(line.unitPrice)} ·{' '}
                  {usDate(line.effectiveDate)}
                  {line.cancelledDate ? ` – ${usDate(line.cancelledDate)}` : ''}
                </span>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        plan && <p class="pv-muted">No closed usage month is left to bill.</p>
      )}
      {plan?.warnings.map((w) => (
        <Notice key={w.code} tone="warn">
          <p>{w.message}</p>
        </Notice>
      ))}
      <div class="pv-actions pv-nav">
        {model.product.value && (
          <button type="button" class="cw-button" onClick={() => void model.back()}>
            Back
          </button>
        )}
        <button
          type="button"
          class="cw-button primary"
          aria-disabled={
            Object.keys(invalid).length > 0 || (!busy && (!plan || planState.status !== 'ready'))
          }
          onClick={() => void model.toReview()}
        >
          Continue
        </button>
      </div>
    </div>
  );
}
