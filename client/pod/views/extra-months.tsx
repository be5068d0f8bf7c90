// Configure Extra Months Addition: bill months in advance or back-bill; one one-time line (spec §4).
import type { ExtraMonths, Plan } from '../../state/plan-schemas.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { formText, RequiredLegend, TextField } from './fields.tsx';

export function ExtraMonthsForm({ model, plan }: { model: WizardModel; plan: Plan }) {
  const current = model.options.value.extraMonths;
  const sub = model.open.value?.row.subscription;
  const recurring = plan.additions.find((a) => a.kind === 'recurring');
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
          const text = formText(e.currentTarget);
          const extra: ExtraMonths = {
            effectiveDate: text('effectiveDate'),
            quantity: Number(text('quantity')),
            startMonth: text('startMonth'),
            months: Number(text('months')),
          };
          if (text('unitPrice')) extra.unitPrice = Number(text('unitPrice')).toFixed(2);
          if (text('unitCost')) extra.unitCost = Number(text('unitCost')).toFixed(2);
          void model.setExtraMonths(extra);
        }}
      >
        <RequiredLegend />
        <TextField
          label="Effective date"
          name="effectiveDate"
          type="date"
          required
          defaultValue={d.effectiveDate}
        />
        <TextField
          label="Quantity"
          name="quantity"
          type="number"
          min={0}
          required
          defaultValue={String(d.quantity)}
        />
        <TextField
          label="Starting month"
          name="startMonth"
          type="month"
          required
          defaultValue={d.startMonth}
        />
        <TextField
          label="Number of months"
          name="months"
          type="number"
          min={1}
          max={36}
          required
          defaultValue={String(d.months)}
        />
        <TextField
          label="Price"
          name="unitPrice"
          inputMode="decimal"
          defaultValue={String(d.unitPrice ?? '')}
        />
        <TextField label="Cost" name="unitCost" inputMode="decimal" defaultValue={String(d.unitCost ?? '')} />
        <div class="pv-actions span2">
          <button type="submit" class="cw-button small">
            {current ? 'Update extra months' : 'Add extra months'}
          </button>
          {current && (
            <button
              type="button"
              class="cw-button small"
              onClick={() => void model.setExtraMonths(undefined)}
            >
              Remove
            </button>
          )}
        </div>
      </form>
    </details>
  );
}
