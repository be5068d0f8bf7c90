// AGREEMENT / Configure Addition: agreement, update-or-create, invoice description with its n/6000 counter,
// effective date, quantity, price, cost, bill option, taxable; then prorates and extra months. Changes re-plan.
import { useState } from 'preact/hooks';
import type { BillCustomer, PlanOptions } from '../../state/plan-schemas.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { CharCounter } from '../../ui/char-counter.tsx';
import { usDate } from '../../ui/format.ts';
import { Notice } from '../../ui/notice.tsx';
import { ExtraMonthsForm } from './extra-months.tsx';
import { Field, RequiredLegend, SelectField, TextField } from './fields.tsx';
import { ProratesTable } from './prorates-table.tsx';

export const MAX_INVOICE_DESCRIPTION = 6000;
const billOptions: BillCustomer[] = ['Billable', 'DoNotBill', 'NoCharge'];
const kinds = ['short', 'long', 'custom'] as const;
const kindsWithExisting = ['existing', 'short', 'long', 'custom'] as const;
const kindLabels = { existing: 'Existing', short: 'Short', long: 'Long', custom: 'Custom' };

export function AdditionStep({ model, wide }: { model: WizardModel; wide: boolean }) {
  const open = model.open.value;
  const plan = model.plan.value;
  const planState = model.planState.value;
  const opts = model.options.value;
  const [custom, setCustom] = useState<string | undefined>(undefined);
  if (!open) return null;
  const sub = open.row.subscription;
  const recurring = plan?.additions.find((a) => a.kind === 'recurring');
  const existing =
    open.row.addition !== null ||
    plan?.additions.some((a) => a.kind === 'recurring' && a.action === 'update');
  // Like the server: an update keeps the existing addition's description unless another is chosen.
  const kind = opts.description?.kind ?? (existing ? 'existing' : 'short');
  const description =
    custom ??
    (opts.description?.kind === 'custom' ? opts.description.text : (recurring?.invoiceDescription ?? ''));
  const set = (patch: Partial<PlanOptions>) => void model.setOptions(patch);
  const busy = planState.status === 'planning';
  return (
    <div class="pv-step">
      <h4>Configure addition</h4>
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
        {existing && (
          <fieldset class="pv-fieldset span2">
            <legend>Previous addition found in ConnectWise</legend>
            <label class="pv-radio">
              <input
                type="radio"
                name="mode"
                checked={(opts.mode ?? plan?.mode ?? 'update') === 'update'}
                onChange={() => set({ mode: 'update' })}
              />{' '}
              Update addition
            </label>
            <label class="pv-radio">
              <input
                type="radio"
                name="mode"
                checked={(opts.mode ?? plan?.mode) === 'create'}
                onChange={() => set({ mode: 'create' })}
              />{' '}
              Create new addition
            </label>
            <p class="pv-note">
              * Update changes the most recent existing addition that has no cancelled date, or a cancelled
              date after the end of the current month. Create new cancels it the day before the new one
              starts.
            </p>
          </fieldset>
        )}
        <fieldset class="pv-fieldset span2">
          <legend>Invoice description</legend>
          {(existing ? kindsWithExisting : kinds).map((k) => (
            <label key={k} class="pv-radio">
              <input
                type="radio"
                name="description"
                checked={kind === k}
                onChange={() => {
                  if (k === 'custom') {
                    setCustom(description);
                    set({ description: { kind: 'custom', text: description || sub.productName } });
                  } else {
                    setCustom(undefined);
                    set({ description: { kind: k } });
                  }
                }}
              />{' '}
              {kindLabels[k]}
            </label>
          ))}
          <textarea
            class="cw-input"
            aria-label="Invoice description"
            aria-describedby="pv-inv-count"
            rows={2}
            readOnly={kind !== 'custom'}
            value={description}
            onInput={(e) => setCustom(e.currentTarget.value)}
            onChange={(e) => {
              const text = e.currentTarget.value;
              if (kind === 'custom' && text.length > 0 && text.length <= MAX_INVOICE_DESCRIPTION) {
                set({ description: { kind: 'custom', text } });
              }
            }}
          />
          <CharCounter id="pv-inv-count" length={description.length} max={MAX_INVOICE_DESCRIPTION} />
        </fieldset>
        <TextField
          label="Effective date"
          required
          type="date"
          value={opts.effectiveDate ?? recurring?.effectiveDate ?? plan?.defaultEffectiveDate ?? ''}
          onChange={(e) => set({ effectiveDate: e.currentTarget.value || undefined } as Partial<PlanOptions>)}
        />
        <TextField
          label="Quantity"
          type="number"
          min={0}
          step={1}
          value={opts.quantity ?? recurring?.quantity ?? sub.quantity}
          onChange={(e) => {
            const n = Number(e.currentTarget.value);
            if (Number.isInteger(n) && n >= 0) set({ quantity: n });
          }}
        />
        <MoneyInput
          label="Price"
          value={opts.unitPrice ?? recurring?.unitPrice ?? ''}
          onCommit={(v) => set({ unitPrice: v })}
        />
        <MoneyInput
          label="Cost"
          value={opts.unitCost ?? recurring?.unitCost ?? ''}
          onCommit={(v) => set({ unitCost: v })}
        />
        <SelectField
          label="Bill options"
          value={opts.billCustomer ?? recurring?.billCustomer ?? 'Billable'}
          options={billOptions}
          onChange={(v) => set({ billCustomer: v as BillCustomer })}
        />
        <SelectField
          label="Taxable"
          value={String(opts.taxable ?? recurring?.taxable ?? false)}
          options={[
            ['true', 'Yes'],
            ['false', 'No'],
          ]}
          onChange={(v) => set({ taxable: v === 'true' })}
        />
      </form>
      <div aria-live="polite" class="pv-status">
        {busy && (
          <p>
            <span class="cw-spinner" aria-hidden="true" />
            Updating the plan…
          </p>
        )}
      </div>
      {planState.status === 'error' && (
        <Notice
          tone="error"
          title="Could not plan the sync"
          action={{ label: 'Retry', onClick: () => void model.replan() }}
        >
          <p>{planState.message}</p>
        </Notice>
      )}
      {plan?.warnings.map((w) => (
        <Notice key={w.code} tone="warn">
          <p>{w.message}</p>
          {w.proposal && (
            <p class="pv-actions">
              <button
                type="button"
                class="cw-button small"
                onClick={() => set({ effectiveDate: w.proposal!.effectiveDate })}
              >
                Use effective date {usDate(w.proposal.effectiveDate)}
              </button>{' '}
              <button
                type="button"
                class="cw-button small"
                onClick={() => void model.setExtraMonths(w.proposal)}
              >
                Add the extra months line
              </button>
            </p>
          )}
        </Notice>
      ))}
      {plan && <ProratesTable model={model} plan={plan} wide={wide} />}
      {plan && <ExtraMonthsForm model={model} plan={plan} />}
      <div class="pv-actions pv-nav">
        {model.product.value && (
          <button type="button" class="cw-button" onClick={() => model.back()}>
            Back
          </button>
        )}
        <button
          type="button"
          class="cw-button primary"
          disabled={!plan || planState.status !== 'ready'}
          onClick={() => model.toReview()}
        >
          Continue
        </button>
      </div>
    </div>
  );
}

function MoneyInput({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: string;
  onCommit: (v: string) => void;
}) {
  return (
    <Field label={label}>
      <span class="pv-money">
        <span aria-hidden="true">$</span>
        <input
          class="cw-input"
          inputMode="decimal"
          value={value}
          onChange={(e) => {
            const text = e.currentTarget.value.trim().replace(/^\$/, '');
            if (/^\d{1,10}(\.\d{1,2})?$/.test(text)) onCommit(Number(text).toFixed(2));
          }}
        />
      </span>
    </Field>
  );
}
