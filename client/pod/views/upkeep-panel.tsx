// Bindings of a bound company (issue 10 item 5): unbind the company (then bind it again, to another Pax8
// company if need be), and change a product binding. Additions already written stay as they are.
import { useState } from 'preact/hooks';
import type { RecordView } from '../../state/agreement-model.ts';
import type { UpkeepModel } from '../../state/upkeep-model.ts';
import { Notice } from '../../ui/notice.tsx';
import { Field, TextField } from './fields.tsx';

export function UpkeepPanel({ view, model }: { view: RecordView; model: UpkeepModel }) {
  const state = model.state.value;
  // Stays open after a save or a cancel: the member may change another binding next.
  const [expanded, setExpanded] = useState(false);
  const binding = view.binding;
  if (!binding) return null;
  // One line per product and term the company's subscriptions are bound with.
  const products = new Map<
    string,
    { pax8ProductId: string; billingTerm: string; name: string; identifier: string }
  >();
  for (const row of view.rows) {
    if (!row.productBinding) continue;
    const key = `${row.subscription.productId}|${row.subscription.billingTerm}`;
    products.set(key, {
      pax8ProductId: row.subscription.productId,
      billingTerm: row.subscription.billingTerm,
      name: row.subscription.productName,
      identifier: row.productBinding.identifier,
    });
  }
  const busy = state.status === 'busy';
  return (
    <details
      class="pv-upkeep"
      open={expanded || state.status !== 'idle'}
      onToggle={(e) => setExpanded(e.currentTarget.open)}
    >
      <summary>Bindings</summary>
      <p>
        Pax8 company: <strong>{binding.name}</strong>{' '}
        {state.status === 'confirm-unbind' ? (
          // biome-ignore lint/a11y/useSemanticElements: a fieldset cannot sit inside the sentence's <p>; the group names the two answers
          <span role="group" aria-label="Confirm unbind">
            <span class="pv-muted">Unbind? Additions already written stay as they are. </span>
            <button
              type="button"
              class="cw-button small primary"
              onClick={() =>
                void model.unbind({ cwCompanyId: view.company.id, pax8CompanyId: binding.pax8CompanyId })
              }
            >
              Unbind
            </button>{' '}
            <button type="button" class="cw-button small" onClick={() => model.cancel()}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" class="cw-button small" disabled={busy} onClick={() => model.askUnbind()}>
            Unbind…
          </button>
        )}
      </p>
      {products.size > 0 && (
        <ul class="pv-list">
          {[...products.values()].map((p) => (
            <li key={`${p.pax8ProductId}|${p.billingTerm}`}>
              <span>
                {p.name}{' '}
                <span class="pv-muted">
                  ({p.billingTerm}) → {p.identifier}
                </span>
              </span>
              <button
                type="button"
                class="cw-button small"
                disabled={busy}
                aria-label={`Change binding of ${p.name} (${p.billingTerm})`}
                onClick={() => void model.editProduct(p)}
              >
                Change…
              </button>
            </li>
          ))}
        </ul>
      )}
      {state.status === 'editing' && (
        <BindingEditForm model={model} name={state.product.name} message={state.message} />
      )}
      {state.status === 'error' && (
        <Notice tone="error" title="Not changed">
          <p>{state.message}</p>
        </Notice>
      )}
    </details>
  );
}

function BindingEditForm({
  model,
  name,
  message,
}: {
  model: UpkeepModel;
  name: string;
  message?: string | undefined;
}) {
  const f = model.form.value;
  const errors = model.errors.value;
  return (
    <form
      class="pv-form pv-grid"
      aria-label={`Product binding of ${name}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void model.saveProduct();
      }}
    >
      <p class="pv-muted span2">
        {name}: a change applies to lines written from now on; additions already written keep what they were
        written with.
      </p>
      <TextField
        label="Catalog item id"
        inputMode="numeric"
        required
        value={f.cwCatalogId}
        error={errors.cwCatalogId}
        onInput={(e) => model.set('cwCatalogId', e.currentTarget.value)}
      />
      <TextField
        label="Default price"
        inputMode="decimal"
        placeholder="Pax8 price"
        value={f.price}
        error={errors.price}
        onInput={(e) => model.set('price', e.currentTarget.value)}
      />
      <TextField
        label="Markup % (usage)"
        inputMode="decimal"
        value={f.markupPercent}
        error={errors.markupPercent}
        onInput={(e) => model.set('markupPercent', e.currentTarget.value)}
      />
      <Field label="Usage billed in arrears">
        <input
          type="checkbox"
          checked={f.usage}
          onChange={(e) => model.set('usage', e.currentTarget.checked)}
        />
      </Field>
      <Field label="Default bill options">
        <select
          class="cw-input"
          value={f.billCustomer}
          onChange={(e) => model.set('billCustomer', e.currentTarget.value as typeof f.billCustomer)}
        >
          <option value="">As in Settings</option>
          <option value="Billable">Billable</option>
          <option value="DoNotBill">DoNotBill</option>
          <option value="NoCharge">NoCharge</option>
        </select>
      </Field>
      <Field label="Default taxable">
        <select
          class="cw-input"
          value={f.taxable}
          onChange={(e) => model.set('taxable', e.currentTarget.value as typeof f.taxable)}
        >
          <option value="">As in Settings</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      </Field>
      {message && (
        <div class="span2">
          <Notice tone="error" title="Not saved">
            <p>{message}</p>
          </Notice>
        </div>
      )}
      <div class="pv-actions span2">
        <button type="button" class="cw-button" onClick={() => model.cancel()}>
          Cancel
        </button>
        <button type="submit" class="cw-button primary">
          Save binding
        </button>
      </div>
    </form>
  );
}
