// Upkeep of a bound company (issue 10 item 5): unbind it (to rebind it to another Pax8 company), and change a
// product binding: catalog item, price, markup, usage, default bill option and taxable. Changes never touch
// additions already written; the view reloads and says what changed.
import { type ReadonlySignal, signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import type { Api } from './api.ts';
import { ProductBindingsSchema, type ProductBindingView, ProductBindResultSchema } from './pod-schemas.ts';

/** The form as typed: text fields, and '' for "the default" in the two choices. */
export type BindingForm = {
  cwCatalogId: string;
  price: string;
  markupPercent: string;
  usage: boolean;
  billCustomer: '' | 'Billable' | 'DoNotBill' | 'NoCharge';
  taxable: '' | 'yes' | 'no';
};
export type BindingField = keyof BindingForm;

export type UpkeepState =
  | { status: 'idle' }
  | { status: 'confirm-unbind' }
  | { status: 'busy' }
  | {
      status: 'editing';
      product: { pax8ProductId: string; billingTerm: string; name: string };
      /** The server's refusal of the last save (an unknown catalog item, …). */
      message?: string;
    }
  | { status: 'error'; message: string };

export type UpkeepModel = {
  state: ReadonlySignal<UpkeepState>;
  form: ReadonlySignal<BindingForm>;
  errors: ReadonlySignal<Partial<Record<BindingField, string>>>;
  askUnbind(): void;
  unbind(company: { cwCompanyId: number; pax8CompanyId: string }): Promise<boolean>;
  editProduct(product: { pax8ProductId: string; billingTerm: string; name: string }): Promise<void>;
  set<K extends BindingField>(field: K, value: BindingForm[K]): void;
  saveProduct(): Promise<boolean>;
  cancel(): void;
};

const formOf = (b: ProductBindingView): BindingForm => ({
  cwCatalogId: String(b.cwCatalogId),
  price: b.price ?? '',
  markupPercent: b.markupPercent ?? '',
  usage: b.usage,
  billCustomer: b.billCustomer ?? '',
  taxable: b.taxable === null ? '' : b.taxable ? 'yes' : 'no',
});

/** The same rules the server holds (routes/bindings.ts), checked before the form is sent. */
export function bindingErrors(f: BindingForm): Partial<Record<BindingField, string>> {
  const errors: Partial<Record<BindingField, string>> = {};
  if (!/^[1-9]\d{0,9}$/.test(f.cwCatalogId.trim()))
    errors.cwCatalogId = 'Catalog item must be its id, a whole number';
  if (f.price.trim() !== '' && !/^\d{1,10}(\.\d{1,2})?$/.test(f.price.trim()))
    errors.price = 'Price must be like 12.50, or empty for the Pax8 price';
  if (f.markupPercent.trim() !== '' && !/^\d{1,3}(\.\d{1,2})?$/.test(f.markupPercent.trim()))
    errors.markupPercent = 'Markup must be a percent like 15 or 12.5, or empty';
  return errors;
}

export function createUpkeepModel(deps: { api: Api; onChanged: () => Promise<void> | void }): UpkeepModel {
  const state = signal<UpkeepState>({ status: 'idle' });
  const form = signal<BindingForm>({
    cwCatalogId: '',
    price: '',
    markupPercent: '',
    usage: false,
    billCustomer: '',
    taxable: '',
  });
  const errors = signal<Partial<Record<BindingField, string>>>({});
  let editing: { pax8ProductId: string; billingTerm: string; name: string } | undefined;

  return {
    state,
    form,
    errors,
    askUnbind: () => {
      state.value = { status: 'confirm-unbind' };
    },
    async unbind(company) {
      if (state.peek().status === 'busy') return false;
      state.value = { status: 'busy' };
      try {
        await deps.api.request('DELETE', '/api/bindings/company', { body: company });
        state.value = { status: 'idle' };
        await deps.onChanged();
        return true;
      } catch (err) {
        state.value = { status: 'error', message: messageOf(err, 'The company could not be unbound') };
        return false;
      }
    },
    async editProduct(product) {
      state.value = { status: 'busy' };
      errors.value = {};
      try {
        const { products } = await deps.api.get('/api/bindings', ProductBindingsSchema);
        const found = products.find(
          (b) => b.pax8ProductId === product.pax8ProductId && b.billingTerm === product.billingTerm,
        );
        if (!found) throw new Error(`${product.name} (${product.billingTerm}) is not bound`);
        form.value = formOf(found);
        editing = product;
        state.value = { status: 'editing', product };
      } catch (err) {
        state.value = { status: 'error', message: messageOf(err, 'The binding could not be read') };
      }
    },
    set(field, value) {
      form.value = { ...form.peek(), [field]: value };
      if (errors.peek()[field]) {
        const { [field]: _, ...rest } = errors.peek();
        errors.value = rest;
      }
    },
    async saveProduct() {
      const product = editing;
      if (!product || state.peek().status !== 'editing') return false;
      const f = form.peek();
      const found = bindingErrors(f);
      errors.value = found;
      if (Object.keys(found).length > 0) return false;
      state.value = { status: 'busy' };
      try {
        await deps.api.post(
          '/api/bindings/product',
          {
            pax8ProductId: product.pax8ProductId,
            billingTerm: product.billingTerm,
            cwCatalogId: Number(f.cwCatalogId.trim()),
            price: f.price.trim() || null,
            markupPercent: f.markupPercent.trim() || null,
            usage: f.usage,
            billCustomer: f.billCustomer || null,
            taxable: f.taxable === '' ? null : f.taxable === 'yes',
          },
          ProductBindResultSchema,
        );
        state.value = { status: 'idle' };
        editing = undefined;
        await deps.onChanged();
        return true;
      } catch (err) {
        state.value = {
          status: 'editing',
          product,
          message: messageOf(err, 'The binding could not be saved'),
        };
        return false;
      }
    },
    cancel: () => {
      editing = undefined;
      state.value = { status: 'idle' };
    },
  };
}
