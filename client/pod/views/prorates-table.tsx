// The "Add Prorates" table: one line per quantity increase with the figures the plan gives, synced marker,
// edit (inline form), exclude/include, select all, and the Threshold Prorate switch (each re-plans).
// While it re-plans those controls are aria-disabled, not disabled: a disabled button drops keyboard focus to the body.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Plan, ProrateEdit, ProrateRow } from '../../state/plan-schemas.ts';
import { recurringOf } from '../../state/wizard-fields.ts';
import { type FormErrors, readProrateEdit } from '../../state/wizard-input.ts';
import type { WizardModel } from '../../state/wizard-model.ts';
import { amount, dollars, usDate } from '../../ui/format.ts';
import { ScrollBox } from '../../ui/scroll-box.tsx';
import { LineBillFields } from './bill-fields.tsx';
import { formText, TextField } from './fields.tsx';

// The two bulk buttons: [selected, button text, what a screen reader hears].
const selectAll = [
  [true, 'Select all', 'All prorates selected.'],
  [false, 'Unselect all', 'All prorates unselected.'],
] as const;

// The right-aligned figure columns, in the order the rows fill them.
const numberColumns = [
  'Quantity Increase',
  'Quantity',
  'Prorate Cost',
  'Unit Cost',
  'Prorate Price',
  'Unit Price',
  'Total To CW',
] as const;

export function ProratesTable({ model, plan, wide }: { model: WizardModel; plan: Plan; wide: boolean }) {
  const [editing, setEditing] = useState<string | undefined>(undefined);
  // What the last exclude/include/select did, for screen readers: the row's own change is not announced.
  const [said, setSaid] = useState('');
  const open = model.open.value;
  const threshold = model.options.value.threshold ?? true;
  const recurring = recurringOf(plan);
  const unitCost = recurring?.unitCost ?? open?.row.subscription.partnerCost;
  const unitPrice = recurring?.unitPrice ?? open?.row.subscription.price;
  const agreementId = model.agreementId.value;
  const additionOf = (p: ProrateRow) =>
    plan.additions.find((a) => a.changeKey === p.changeKey)?.additionId ??
    (p.synced ? model.syncedAddition(p.changeKey) : undefined);
  const busy = model.planState.value.status === 'planning';
  const section = useRef<HTMLElement>(null);
  // The inline form closes (Save, Cancel, Reset, Escape) with focus back on its row's Edit button.
  const closeEdit = (changeKey: string) => {
    setEditing(undefined);
    const row = [...(section.current?.querySelectorAll<HTMLElement>('tr[data-change]') ?? [])].find(
      (tr) => tr.dataset.change === changeKey,
    );
    row?.querySelector<HTMLElement>('button[aria-expanded]')?.focus();
  };
  return (
    <section class="pv-prorates" aria-labelledby="pv-prorates-title" ref={section}>
      <div class="pv-bar">
        <h4 id="pv-prorates-title">Add prorates</h4>
        {selectAll.map(([on, label, said]) => (
          <button
            key={label}
            type="button"
            class="cw-button small"
            aria-disabled={busy}
            onClick={() => {
              if (busy) return;
              setSaid(said);
              void model.selectAllProrates(on);
            }}
          >
            {label}
          </button>
        ))}
        <label class="pv-switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={threshold}
            checked={threshold}
            aria-disabled={busy}
            onClick={(e) => {
              if (busy) e.preventDefault();
            }}
            onChange={(e) => void model.setThreshold(e.currentTarget.checked)}
          />{' '}
          Threshold prorate
        </label>
      </div>
      <p class="sr-only" role="status">
        {said}
      </p>
      {plan.prorates.length === 0 ? (
        <p class="pv-muted">No partial-month increases to prorate.</p>
      ) : (
        <ScrollBox label="Prorates" wide={wide}>
          <table class="cw-table">
            <thead>
              <tr>
                <th scope="col">Synced</th>
                <th scope="col">Addition ID</th>
                <th scope="col">Agreement ID</th>
                <th scope="col">Effective Date</th>
                <th scope="col">Effective During</th>
                {numberColumns.map((c) => (
                  <th key={c} scope="col" class="num">
                    {c}
                  </th>
                ))}
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {plan.prorates.map((p) => (
                <Fragment key={p.changeKey}>
                  <tr class={p.excluded || p.waived ? 'excluded' : ''} data-change={p.changeKey}>
                    <td>
                      {p.synced ? (
                        <span class="pv-synced">Synced</span>
                      ) : p.waived ? (
                        'Waived'
                      ) : p.excluded ? (
                        'Excluded'
                      ) : (
                        ''
                      )}
                    </td>
                    <td>{additionOf(p) ?? ''}</td>
                    <td>{agreementId ?? ''}</td>
                    <td>{usDate(p.effectiveDate)}</td>
                    <td>
                      {usDate(p.period.start)} - {usDate(p.period.end)}
                    </td>
                    <td class="num">
                      {amount(p.quantityIncrease)}
                      {threshold ? ' *' : ''}
                    </td>
                    <td class="num">{amount(p.quantity)}</td>
                    <td class="num">{amount(p.unitCost)}</td>
                    <td class="num">{amount(unitCost)}</td>
                    <td class="num">{amount(p.unitPrice)}</td>
                    <td class="num">{amount(unitPrice)}</td>
                    <td class="num">{dollars(p.totalPrice)}</td>
                    <td class="pv-row-actions">
                      {!p.synced && !p.waived && (
                        <div>
                          <button
                            type="button"
                            class="cw-button small"
                            aria-label={`Edit prorate ${usDate(p.period.start)}`}
                            aria-expanded={editing === p.changeKey}
                            onClick={() => setEditing(editing === p.changeKey ? undefined : p.changeKey)}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            class="cw-button small"
                            aria-disabled={busy}
                            aria-label={`${p.excluded ? 'Include' : 'Exclude'} prorate ${usDate(p.period.start)}`}
                            onClick={() => {
                              if (busy) return;
                              setSaid(
                                `Prorate ${usDate(p.period.start)} ${p.excluded ? 'included' : 'excluded'}.`,
                              );
                              void model.setExcluded(p.changeKey, !p.excluded);
                            }}
                          >
                            {p.excluded ? 'Include' : 'Exclude'}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                  {editing === p.changeKey && (
                    <tr class="pv-edit-row">
                      <td colSpan={13} class="pv-edit-cell">
                        <ProrateEditForm
                          row={p}
                          current={model.options.value.prorates?.edit?.[p.changeKey]}
                          onInvalid={(message) => model.setInvalid(`prorate:${p.changeKey}`, message)}
                          onSave={(edit) => {
                            closeEdit(p.changeKey);
                            void model.editProrate(p.changeKey, edit);
                          }}
                          onCancel={() => closeEdit(p.changeKey)}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {threshold && plan.prorates.length > 0 && (
        <p class="pv-note">* Threshold prorate: within a month each seat is prorated at most once.</p>
      )}
    </section>
  );
}

function ProrateEditForm({
  row,
  current,
  onSave,
  onCancel,
  onInvalid,
}: {
  row: ProrateRow;
  current: ProrateEdit | undefined;
  onSave: (edit: ProrateEdit | undefined) => void;
  onCancel: () => void;
  /** Tells the wizard this form holds input that cannot be sent (Continue waits), or no longer does. */
  onInvalid: (message: string | undefined) => void;
}) {
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  // What the bill selects show (a server from before per-line options sends none): unchanged, no edit.
  const shown = { ...row, billCustomer: row.billCustomer ?? 'Billable', taxable: row.taxable ?? false };
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input')?.focus();
    // Closed (saved, cancelled, reset): nothing left to fix here.
    return () => onInvalid(undefined);
  }, []);
  return (
    <form
      ref={form}
      class="pv-form pv-inline"
      aria-label="Edit prorate"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        const { edit, errors: found } = readProrateEdit(formText(e.currentTarget), shown);
        setErrors(found);
        if (Object.keys(found).length) {
          onInvalid('The prorate being edited has fields to fix.');
          form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
          return;
        }
        onSave(Object.keys(edit).length ? { ...current, ...edit } : current);
      }}
    >
      <TextField
        label="Effective date"
        name="effectiveDate"
        type="date"
        min="2000-01-01"
        max="2099-12-31"
        defaultValue={row.effectiveDate}
        error={errors.effectiveDate}
      />
      <TextField
        label="Quantity"
        name="quantity"
        inputMode="numeric"
        defaultValue={String(row.quantityIncrease)}
        error={errors.quantity}
      />
      <TextField
        label="Prorate cost"
        name="unitCost"
        inputMode="decimal"
        defaultValue={row.unitCost}
        error={errors.unitCost}
      />
      <TextField
        label="Prorate price"
        name="unitPrice"
        inputMode="decimal"
        defaultValue={row.unitPrice}
        error={errors.unitPrice}
      />
      <TextField
        label="Description"
        span="wide"
        name="description"
        maxLength={6000}
        defaultValue={row.invoiceDescription}
        error={errors.description}
      />
      <LineBillFields billCustomer={shown.billCustomer} taxable={shown.taxable} />
      <div class="pv-actions">
        <button type="submit" class="cw-button primary small">
          Save
        </button>
        <button type="button" class="cw-button small" onClick={onCancel}>
          Cancel
        </button>
        {current && (
          <button type="button" class="cw-button small" onClick={() => onSave(undefined)}>
            Reset
          </button>
        )}
      </div>
    </form>
  );
}
