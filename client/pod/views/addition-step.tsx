// AGREEMENT / Configure Addition: agreement, update-or-create, invoice description with its n/6000 counter,
// effective date, quantity, price, cost, bill option, taxable; then prorates and extra months. Changes re-plan.
import { useState } from 'preact/hooks';
import type { PlanOptions } from '../../state/plan-schemas.ts';
import { type ConfigField, descriptionStem, recurringOf } from '../../state/wizard-fields.ts';
import { parseInvoiceText } from '../../state/wizard-input.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { CharCounter } from '../../ui/char-counter.tsx';
import { usDate } from '../../ui/format.ts';
import { Notice } from '../../ui/notice.tsx';
import { PlanBillFields } from './bill-fields.tsx';
import { ExtraMonthsForm } from './extra-months.tsx';
import { Field, invalidProps, RequiredLegend, SelectField, TextField, useErrorId } from './fields.tsx';
import { PlanStatus } from './plan-status.tsx';
import { ProratesTable } from './prorates-table.tsx';

export const MAX_INVOICE_DESCRIPTION = 6000;
// The guide's tabs: Short · Long · Microsoft (the vendor's own product name, which also names the prorates).
const kinds = ['short', 'long', 'microsoft', 'custom'] as const;
const kindsWithExisting = ['existing', 'short', 'long', 'microsoft', 'custom'] as const;
const kindLabels = {
  existing: 'Existing',
  short: 'Short',
  long: 'Long',
  microsoft: 'Microsoft',
  custom: 'Custom',
};

export function AdditionStep({ model, wide }: { model: WizardModel; wide: boolean }) {
  const open = model.open.value;
  const plan = model.plan.value;
  const planState = model.planState.value;
  const opts = model.options.value;
  const [custom, setCustom] = useState<string | undefined>(undefined);
  if (!open) return null;
  const sub = open.row.subscription;
  const recurring = recurringOf(plan);
  // Spec §2: an update keeps the addition's effective date, so the field shows it and cannot be changed.
  const updating =
    recurring?.kind === 'recurring' && recurring.additionId !== undefined && recurring.action !== 'create';
  const invalid = model.invalid.value;
  const drafts = model.drafts.value;
  const fieldText = (name: ConfigField, value: string | number | undefined) =>
    drafts[name] ?? (value === undefined ? '' : String(value));
  const edit = (name: ConfigField) => (e: { currentTarget: HTMLInputElement }) =>
    void model.editField(name, e.currentTarget.value);
  const blocked = Object.keys(invalid).length;
  const descriptionError = { id: 'pv-inv-error', message: invalid.description };
  const existing =
    open.row.addition !== null ||
    plan?.additions.some((a) => a.kind === 'recurring' && a.action === 'update');
  // Like the server: an update keeps the existing addition's description unless another is chosen.
  const kind = opts.description?.kind ?? (existing ? 'existing' : 'short');
  const description =
    custom ?? (opts.description?.kind === 'custom' ? opts.description.text : descriptionStem(recurring));
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
                  model.setInvalid('description', undefined);
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
            rows={2}
            readOnly={kind !== 'custom'}
            value={description}
            onInput={(e) => setCustom(e.currentTarget.value)}
            onChange={(e) => {
              if (kind !== 'custom') return;
              // Sent only as typed: empty, over 6,000 or with a line break stays here with the reason.
              const parsed = parseInvoiceText(e.currentTarget.value, 'Custom text');
              model.setInvalid('description', parsed.ok ? undefined : parsed.message);
              if (parsed.ok) set({ description: { kind: 'custom', text: parsed.value } });
            }}
            {...invalidProps(descriptionError, 'pv-inv-count')}
          />
          <CharCounter id="pv-inv-count" length={description.length} max={MAX_INVOICE_DESCRIPTION} />
          {invalid.description && (
            <span id={descriptionError.id} class="pv-field-error">
              {invalid.description}
            </span>
          )}
        </fieldset>
        {updating ? (
          <TextField
            label="Effective date"
            required
            type="date"
            readOnly
            aria-describedby="pv-eff-note"
            value={recurring.effectiveDate}
          />
        ) : (
          <TextField
            label="Effective date"
            required
            type="date"
            min="2000-01-01"
            max="2099-12-31"
            value={fieldText(
              'effectiveDate',
              opts.effectiveDate ?? recurring?.effectiveDate ?? plan?.defaultEffectiveDate,
            )}
            error={invalid.effectiveDate}
            onChange={edit('effectiveDate')}
          />
        )}
        <TextField
          label="Quantity"
          inputMode="numeric"
          value={fieldText('quantity', opts.quantity ?? recurring?.quantity ?? sub.quantity)}
          error={invalid.quantity}
          onChange={edit('quantity')}
        />
        <MoneyInput
          label="Price"
          value={fieldText('unitPrice', opts.unitPrice ?? recurring?.unitPrice)}
          error={invalid.unitPrice}
          onChange={edit('unitPrice')}
        />
        <MoneyInput
          label="Cost"
          value={fieldText('unitCost', opts.unitCost ?? recurring?.unitCost)}
          error={invalid.unitCost}
          onChange={edit('unitCost')}
        />
        {recurring?.kind === 'period' && (
          <p id="pv-term-price-note" class="pv-note span2">
            Price and cost are per seat for the whole {plan?.term ?? 'term'} term, billed once per term, not
            per month.
          </p>
        )}
        {updating && (
          <p id="pv-eff-note" class="pv-note span2">
            An update keeps the addition's effective date ({usDate(recurring.effectiveDate)}). To start on
            another date, choose Create new addition.
          </p>
        )}
        <PlanBillFields
          billCustomer={opts.billCustomer ?? recurring?.billCustomer ?? 'Billable'}
          taxable={opts.taxable ?? recurring?.taxable ?? false}
          onChange={set}
        />
      </form>
      <PlanStatus model={model} />
      {plan?.termLabel && plan.termLabel !== plan.term && <p class="pv-muted">Term: {plan.termLabel}</p>}
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
          <button type="button" class="cw-button" onClick={() => void model.back()}>
            Back
          </button>
        )}
        {/* aria-disabled, not disabled: the click that blurs an edited field starts a re-plan, and a
            disabled button would swallow that click (Continue then needed a second one). */}
        <button
          type="button"
          class="cw-button primary"
          aria-disabled={blocked > 0 || (!busy && (!plan || planState.status !== 'ready'))}
          aria-describedby={blocked ? 'pv-blocked' : undefined}
          onClick={() => void model.toReview()}
        >
          Continue
        </button>
      </div>
      {blocked > 0 && (
        <p id="pv-blocked" class="pv-note pv-blocked">
          {blocked === 1 ? 'One field needs' : `${blocked} fields need`} a valid value before you continue.
        </p>
      )}
    </div>
  );
}

function MoneyInput({
  label,
  value,
  error,
  onChange,
}: {
  label: string;
  value: string;
  error: string | undefined;
  onChange: (e: { currentTarget: HTMLInputElement }) => void;
}) {
  const err = { id: useErrorId(), message: error };
  return (
    <Field label={label} error={err}>
      <span class="pv-money">
        <span aria-hidden="true">$</span>
        <input
          class="cw-input"
          inputMode="decimal"
          value={value}
          onChange={onChange}
          {...invalidProps(err)}
        />
      </span>
    </Field>
  );
}
