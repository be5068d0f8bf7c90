// The billing defaults form: threshold prorate, the change day, update or create on a quantity change.
// The result of Save is announced in a live region that is always in the page, so screen readers hear it.
import type { JSX } from 'preact';
import type { BillingSettings, SettingsModel } from '../state/app-settings-model.ts';

const billOptions = ['Billable', 'DoNotBill', 'NoCharge'] as const;
const taxableChoices = [
  ['catalog', 'As the catalog item'],
  ['yes', 'Yes'],
  ['no', 'No'],
] as const;

// The two answers to "on a quantity change", in the order they are offered.
const updateOrCreate = [
  ['update', 'Update the existing addition'],
  ['create', 'Create a new one'],
] as const;

export function SettingsForm({ model }: { model: SettingsModel }) {
  const d = model.draft.value;
  const save = model.save.value;
  const saving = save.status === 'saving';
  const onSubmit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    void model.submit();
  };
  const message = save.status === 'saved' || save.status === 'failed' ? save.message : '';
  return (
    <form class="app-settings-form" aria-labelledby="settings-billing" onSubmit={onSubmit}>
      <h3 id="settings-billing">Billing defaults</h3>
      <p class="app-hint">
        Every new plan starts from these; the sync wizard can still change them for one subscription.
      </p>
      <fieldset>
        <legend>Prorating</legend>
        <p>
          <input
            type="checkbox"
            id="settings-threshold"
            aria-describedby="settings-threshold-hint"
            checked={d.threshold}
            onChange={(e) => model.set('threshold', e.currentTarget.checked)}
          />{' '}
          <label for="settings-threshold">Threshold prorate</label>
          <span id="settings-threshold-hint" class="app-hint">
            {' '}
            (on by default) — within a month a seat is prorated at most once, so a drop and re-add is not
            billed twice
          </span>
        </p>
        <p>
          <input
            type="checkbox"
            id="settings-change-day"
            aria-describedby="settings-change-day-hint"
            checked={d.countChangeDay}
            onChange={(e) => model.set('countChangeDay', e.currentTarget.checked)}
          />{' '}
          <label for="settings-change-day">Count the change day</label>
          <span id="settings-change-day-hint" class="app-hint">
            {' '}
            — the day of a quantity change is itself a billed day
          </span>
        </p>
      </fieldset>
      <fieldset>
        <legend>On a quantity change</legend>
        {updateOrCreate.map(([value, label]) => (
          <p key={value}>
            <input
              type="radio"
              name="updateOrCreate"
              id={`settings-${value}`}
              value={value}
              checked={d.updateOrCreate === value}
              onChange={() => model.set('updateOrCreate', value)}
            />{' '}
            <label for={`settings-${value}`}>{label}</label>
          </p>
        ))}
      </fieldset>
      <p>
        <label for="settings-lookback">Back-bill invoiced months</label>{' '}
        <input
          type="number"
          id="settings-lookback"
          min={0}
          max={24}
          step={1}
          aria-describedby="settings-lookback-hint"
          value={d.lookbackMonths}
          onInput={(e) => {
            const n = e.currentTarget.valueAsNumber;
            if (Number.isInteger(n) && n >= 0 && n <= 24) model.set('lookbackMonths', n);
          }}
        />
        <span id="settings-lookback-hint" class="app-hint">
          {' '}
          (3 by default) — seats that already-invoiced months missed are back-billed this far; anything older
          is shown as a warning with its amount
        </span>
      </p>
      <fieldset>
        <legend>New lines</legend>
        <p class="app-hint">Bill options and taxable of lines whose product binding does not set its own.</p>
        <p>
          <label for="settings-bill">Bill options</label>{' '}
          <select
            id="settings-bill"
            class="cw-input"
            value={d.defaultBillCustomer}
            onChange={(e) =>
              model.set(
                'defaultBillCustomer',
                e.currentTarget.value as BillingSettings['defaultBillCustomer'],
              )
            }
          >
            {billOptions.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="settings-taxable">Taxable</label>{' '}
          <select
            id="settings-taxable"
            class="cw-input"
            value={d.defaultTaxable}
            onChange={(e) =>
              model.set('defaultTaxable', e.currentTarget.value as BillingSettings['defaultTaxable'])
            }
          >
            {taxableChoices.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </p>
      </fieldset>
      <p class="app-actions">
        <button type="submit" class="cw-button primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {model.dirty.value && !saving && <span class="app-muted">Unsaved changes</span>}
      </p>
      <p
        class={save.status === 'failed' ? 'app-error' : 'app-saved'}
        role="status"
        aria-live="polite"
        aria-atomic="true"
      >
        {message}
      </p>
    </form>
  );
}
