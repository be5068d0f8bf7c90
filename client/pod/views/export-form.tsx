// Export the Pax8 product into the ConnectWise catalog: white-label description (≤ 60), term, price and
// cost from Pax8's pricing for the term, customer description and the catalog's own lookups.
import { MAX_CATALOG_DESCRIPTION, type ProductClass, type ProductModel } from '../../state/product-model.ts';
import { CharCounter } from '../../ui/char-counter.tsx';
import { Notice } from '../../ui/notice.tsx';

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
  const select = (
    label: string,
    value: number | undefined,
    rows: { id: number; name: string }[],
    set: (v: number | undefined) => void,
  ) => (
    <label class="pv-field">
      <span>{label}</span>
      <select class="cw-input" value={value ?? ''} onChange={(e) => set(num(e.currentTarget.value))}>
        <option value="">—</option>
        {rows.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
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
      <label class="pv-field">
        <span>Term</span>
        <select
          class="cw-input"
          value={f.billingTerm}
          onChange={(e) => product.setField('billingTerm', e.currentTarget.value)}
        >
          {terms.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label class="pv-field">
        <span>Unit price</span>
        <input
          class="cw-input"
          inputMode="decimal"
          value={f.price}
          onInput={(e) => product.setField('price', e.currentTarget.value)}
        />
      </label>
      <label class="pv-field">
        <span>Unit cost</span>
        <input
          class="cw-input"
          inputMode="decimal"
          value={f.cost}
          onInput={(e) => product.setField('cost', e.currentTarget.value)}
        />
      </label>
      <label class="pv-field span2">
        <span>Customer description</span>
        <textarea
          class="cw-input"
          rows={3}
          maxLength={6000}
          value={f.customerDescription}
          onInput={(e) => product.setField('customerDescription', e.currentTarget.value)}
        />
      </label>
      {select('Category', f.categoryId, lookups.categories, (v) => product.setField('categoryId', v))}
      {select('Subcategory', f.subcategoryId, subcategories, (v) => product.setField('subcategoryId', v))}
      {select('Type', f.typeId, lookups.types, (v) => product.setField('typeId', v))}
      <label class="pv-field">
        <span>Class</span>
        <select
          class="cw-input"
          value={f.productClass}
          onChange={(e) => product.setField('productClass', e.currentTarget.value as ProductClass)}
        >
          {classes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      {select('Unit of measure', f.unitOfMeasureId, lookups.unitsOfMeasure, (v) =>
        product.setField('unitOfMeasureId', v),
      )}
      <label class="pv-field">
        <span>Identifier (default: Pax8 SKU)</span>
        <input
          class="cw-input"
          value={f.identifier}
          maxLength={60}
          onInput={(e) => product.setField('identifier', e.currentTarget.value)}
        />
      </label>
      <p class="pv-muted span2">The vendor SKU is taken from Pax8.</p>
      <div class="pv-actions span2">
        <button type="submit" class="cw-button primary" disabled={product.busy.value}>
          {product.busy.value ? 'Exporting…' : 'Export'}
        </button>
      </div>
    </form>
  );
}
