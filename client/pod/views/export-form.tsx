// Export the Pax8 product into the ConnectWise catalog: white-label description (≤ 60), term, price and
// cost from Pax8's pricing for the term, customer description and the catalog's own lookups.
import type { Lookup } from '../../state/pod-schemas.ts';
import { MAX_CATALOG_DESCRIPTION, type ProductClass, type ProductModel } from '../../state/product-model.ts';
import { CharCounter } from '../../ui/char-counter.tsx';
import { Notice } from '../../ui/notice.tsx';
import { Field, RequiredLegend, SelectField, TextField } from './fields.tsx';

const classes: ProductClass[] = ['NonInventory', 'Service', 'Agreement', 'Bundle', 'Inventory'];
const num = (value: string) => (value === '' ? undefined : Number(value));

export function ExportForm({ product, onExported }: { product: ProductModel; onExported: () => void }) {
  const lookups = product.lookups.value;
  const f = product.form.value;
  if (!lookups) {
    return product.busy.value ? <Notice tone="progress" title="Loading catalog settings…" /> : null;
  }
  const terms = product.pricing.value.map((p) => p.billingTerm);
  if (!terms.includes(f.billingTerm)) terms.unshift(f.billingTerm);
  const subcategories = lookups.subcategories.filter(
    (s) => f.categoryId === undefined || !s.category || s.category.id === f.categoryId,
  );
  // A catalog lookup: its id, or none ('—').
  const lookup = (
    label: string,
    value: number | undefined,
    rows: Lookup[],
    set: (v: number | undefined) => void,
    required = false,
  ) => (
    <SelectField
      label={label}
      required={required}
      value={value === undefined ? '' : String(value)}
      options={[['', '—'], ...rows.map((r) => [String(r.id), r.name] as const)]}
      onChange={(v) => set(num(v))}
    />
  );
  return (
    <form
      class="pv-form pv-grid"
      aria-label="Export Pax8 product"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await product.exportProduct()) onExported();
      }}
    >
      <RequiredLegend />
      <div class="pv-field span2">
        <label for="pv-export-desc">Description (white label)</label>
        <input
          id="pv-export-desc"
          class="cw-input"
          value={f.description}
          maxLength={MAX_CATALOG_DESCRIPTION}
          aria-describedby="pv-desc-count"
          onInput={(e) => product.setField('description', e.currentTarget.value)}
        />
        <CharCounter id="pv-desc-count" length={f.description.length} max={MAX_CATALOG_DESCRIPTION} />
      </div>
      <SelectField
        label="Term"
        value={f.billingTerm}
        options={terms}
        onChange={(v) => product.setField('billingTerm', v)}
      />
      <TextField
        label="Unit price"
        inputMode="decimal"
        value={f.price}
        error={product.fieldErrors.value.price}
        onInput={(e) => product.setField('price', e.currentTarget.value)}
      />
      <TextField
        label="Unit cost"
        inputMode="decimal"
        value={f.cost}
        error={product.fieldErrors.value.cost}
        onInput={(e) => product.setField('cost', e.currentTarget.value)}
      />
      <Field label="Customer description" span="span2">
        <textarea
          class="cw-input"
          rows={3}
          maxLength={6000}
          value={f.customerDescription}
          onInput={(e) => product.setField('customerDescription', e.currentTarget.value)}
        />
      </Field>
      {lookup('Category', f.categoryId, lookups.categories, (v) => product.setField('categoryId', v))}
      {lookup(
        'Subcategory',
        f.subcategoryId,
        subcategories,
        (v) => product.setField('subcategoryId', v),
        true,
      )}
      {lookup('Type', f.typeId, lookups.types, (v) => product.setField('typeId', v), true)}
      <SelectField
        label="Class"
        value={f.productClass}
        options={classes}
        onChange={(v) => product.setField('productClass', v as ProductClass)}
      />
      {lookup('Unit of measure', f.unitOfMeasureId, lookups.unitsOfMeasure, (v) =>
        product.setField('unitOfMeasureId', v),
      )}
      <TextField
        label="Identifier (default: Pax8 SKU)"
        value={f.identifier}
        maxLength={60}
        onInput={(e) => product.setField('identifier', e.currentTarget.value)}
      />
      <p class="pv-muted span2">The vendor SKU is taken from Pax8.</p>
      <div class="pv-actions span2">
        <button type="submit" class="cw-button primary" disabled={product.busy.value}>
          {product.busy.value ? 'Exporting…' : 'Export'}
        </button>
      </div>
    </form>
  );
}
