// Configure Extra Months Addition: bill months in advance or back-bill; one one-time line (spec §4).
import { useEffect, useState } from 'preact/hooks';
import type { ExtraMonths, Plan } from '../../state/plan-schemas.ts';
import { recurringOf } from '../../state/wizard-fields.ts';
import { type FormErrors, readExtraMonths } from '../../state/wizard-input.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { LineBillFields } from './bill-fields.tsx';
import { formText, RequiredLegend, TextField } from './fields.tsx';

const INVALID_KEY = 'extraMonths';

export function ExtraMonthsForm({ model, plan }: { model: WizardModel; plan: Plan }) {
  const current = model.options.value.extraMonths;
  const sub = model.open.value?.row.subscription;
  const recurring = recurringOf(plan);
  const [errors, setErrors] = useState<FormErrors>({});
  // Input that cannot be sent blocks Continue until it is fixed or the form is left (unmounted).
  useEffect(() => () => model.setInvalid(INVALID_KEY, undefined), [model]);
  const d: ExtraMonths = current ?? {
    effectiveDate: plan.defaultEffectiveDate,
    quantity: sub?.quantity ?? 1,
    startMonth: plan.defaultEffectiveDate.slice(0, 7),
    months: 1,
    ...(recurring ? { unitPrice: recurring.unitPrice, unitCost: recurring.unitCost } : {}),
  };
  return (
    <details class="pv-extra" open={current !== undefined}>
      <summary>Configure extra months addition{current ? ' (added)' : ''}</summary>
      <form
        class="pv-form pv-grid"
        aria-label="Extra months addition"
        onSubmit={(e) => {
          e.preventDefault();
          const read = readExtraMonths(formText(e.currentTarget));
          setErrors(read.errors);
          const count = Object.keys(read.errors).length;
          model.setInvalid(INVALID_KEY, count ? 'The extra months addition has fields to fix.' : undefined);
          if (read.extra) void model.setExtraMonths(read.extra);
        }}
      >
        <RequiredLegend />
        <TextField
          label="Effective date"
          name="effectiveDate"
          type="date"
          required
          min="2000-01-01"
          max="2099-12-31"
          defaultValue={d.effectiveDate}
          error={errors.effectiveDate}
        />
        <TextField
          label="Quantity"
          name="quantity"
          inputMode="numeric"
          required
          defaultValue={String(d.quantity)}
          error={errors.quantity}
        />
        <TextField
          label="Starting month"
          name="startMonth"
          type="month"
          required
          defaultValue={d.startMonth}
          error={errors.startMonth}
        />
        <TextField
          label="Number of months"
          name="months"
          inputMode="numeric"
          required
          defaultValue={String(d.months)}
          error={errors.months}
        />
        <TextField
          label="Price"
          name="unitPrice"
          inputMode="decimal"
          defaultValue={String(d.unitPrice ?? '')}
          error={errors.unitPrice}
        />
        <TextField
          label="Cost"
          name="unitCost"
          inputMode="decimal"
          defaultValue={String(d.unitCost ?? '')}
          error={errors.unitCost}
        />
        <LineBillFields
          billCustomer={d.billCustomer ?? recurring?.billCustomer ?? 'Billable'}
          taxable={d.taxable ?? recurring?.taxable ?? false}
        />
        <div class="pv-actions span2">
          <button type="submit" class="cw-button small">
            {current ? 'Update extra months' : 'Add extra months'}
          </button>
          {current && (
            <button
              type="button"
              class="cw-button small"
              onClick={() => {
                setErrors({});
                model.setInvalid(INVALID_KEY, undefined);
                void model.setExtraMonths(undefined);
              }}
            >
              Remove
            </button>
          )}
        </div>
      </form>
    </details>
  );
}
