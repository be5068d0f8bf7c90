// A line's own Bill Options and Taxable (guide: the prorate's edit form and Configure Extra Months Addition
// each have both). Uncontrolled selects read with the form on submit, like the fields beside them; the
// initial choice is marked on its option (`selected`), which Preact keeps as the form's default. The wizard's
// agreement steps (recurring and usage) use the controlled pair, which re-plans on each change.
import type { BillCustomer } from '../../state/plan-schemas.ts';
import { Field, SelectField } from './fields.tsx';

const billOptions: BillCustomer[] = ['Billable', 'DoNotBill', 'NoCharge'];

/** Bill Options and Taxable of the plan's lines: each change is sent to the plan at once. */
export function PlanBillFields({
  billCustomer,
  taxable,
  onChange,
}: {
  billCustomer: BillCustomer;
  taxable: boolean;
  onChange: (patch: { billCustomer?: BillCustomer; taxable?: boolean }) => void;
}) {
  return (
    <>
      <SelectField
        label="Bill options"
        value={billCustomer}
        options={billOptions}
        onChange={(v) => onChange({ billCustomer: v as BillCustomer })}
      />
      <SelectField
        label="Taxable"
        value={String(taxable)}
        options={[
          ['true', 'Yes'],
          ['false', 'No'],
        ]}
        onChange={(v) => onChange({ taxable: v === 'true' })}
      />
    </>
  );
}

export function LineBillFields({ billCustomer, taxable }: { billCustomer: BillCustomer; taxable: boolean }) {
  return (
    <>
      <Field label="Bill options">
        <select class="cw-input" name="billCustomer">
          {billOptions.map((b) => (
            <option key={b} value={b} selected={b === billCustomer}>
              {b}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Taxable">
        <select class="cw-input" name="taxable">
          <option value="true" selected={taxable}>
            Yes
          </option>
          <option value="false" selected={!taxable}>
            No
          </option>
        </select>
      </Field>
    </>
  );
}
