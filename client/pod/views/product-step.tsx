// PRODUCT: bind the Pax8 product to an existing catalog item (search), or export it to the catalog.
import type { WizardModel } from '../../state/wizard-model.ts';
import { dollars } from '../../ui/format.ts';
import { Notice } from '../../ui/notice.tsx';
import { ExportForm } from './export-form.tsx';
import { TextField } from './fields.tsx';

export function ProductStep({ model }: { model: WizardModel }) {
  const product = model.product.value;
  const open = model.open.value;
  if (!product || !open) return null;
  const mode = product.mode.value;
  const done = async (ok: boolean) => {
    if (ok) await model.productDone();
  };
  return (
    <section class="pv-step" aria-labelledby="pv-product-title">
      <h4 id="pv-product-title">Manage products</h4>
      <p class="pv-muted">
        {open.row.subscription.productName} ({open.row.subscription.billingTerm}) is not bound to a
        ConnectWise catalog item. You only do this once per product and term.
      </p>
      <fieldset class="pv-choice">
        <legend class="sr-only">How to bind</legend>
        <button
          type="button"
          class={`cw-button${mode === 'bind' ? ' primary' : ''}`}
          aria-pressed={mode === 'bind'}
          onClick={() => product.setMode('bind')}
        >
          Bind product
        </button>
        <button
          type="button"
          class={`cw-button${mode === 'export' ? ' primary' : ''}`}
          aria-pressed={mode === 'export'}
          onClick={() => void product.openExport()}
        >
          Export product
        </button>
      </fieldset>
      {mode === 'bind' && (
        <form
          class="pv-form"
          onSubmit={(e) => {
            e.preventDefault();
            const input = e.currentTarget.elements.namedItem('q') as HTMLInputElement | null;
            void product.searchCatalog(input?.value ?? '');
          }}
        >
          <TextField
            label="Search ConnectWise catalog"
            name="q"
            type="search"
            value={product.search.value}
            maxLength={60}
          />
          <button type="submit" class="cw-button" disabled={product.busy.value}>
            Search
          </button>
          <label class="pv-check">
            <input
              type="checkbox"
              name="usage"
              checked={product.usage.value}
              onChange={(e) => product.setUsage(e.currentTarget.checked)}
            />{' '}
            Usage billed in arrears (e.g. Azure): one line per closed month, never a recurring addition
          </label>
          <div aria-live="polite">
            {product.results.value?.length === 0 && <p class="pv-muted">No catalog items match.</p>}
          </div>
          {product.results.value && product.results.value.length > 0 && (
            <ul class="pv-list">
              {product.results.value.map((item) => (
                <li key={item.id}>
                  <span>
                    <strong>{item.identifier}</strong> {item.description}
                    <span class="pv-muted"> {item.price !== null ? dollars(item.price) : ''}</span>
                  </span>
                  <button
                    type="button"
                    class="cw-button small"
                    disabled={product.busy.value}
                    aria-label={`Bind to ${item.identifier}`}
                    onClick={async () => done(await product.bindTo(item.id))}
                  >
                    Bind
                  </button>
                </li>
              ))}
            </ul>
          )}
        </form>
      )}
      {mode === 'export' && <ExportForm product={product} onExported={() => void done(true)} />}
      {product.error.value && (
        <Notice tone="error" title="Product not bound">
          <p>{product.error.value}</p>
        </Notice>
      )}
    </section>
  );
}
