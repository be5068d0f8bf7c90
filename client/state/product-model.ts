// The wizard's PRODUCT step: bind the Pax8 product (for the subscription's term) to an existing catalog
// item found by search, or export it into the ConnectWise catalog with price and cost from Pax8's pricing.
import { type ReadonlySignal, signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import type { Api } from './api.ts';
import {
  type CatalogItem,
  CatalogSearchSchema,
  ExportResultSchema,
  type Lookups,
  LookupsSchema,
  type Pricing,
  PricingSchema,
} from './pod-schemas.ts';
import { parseMoney } from './wizard-input.ts';

export type ProductClass = 'Agreement' | 'Bundle' | 'Inventory' | 'NonInventory' | 'Service';

export type ExportForm = {
  description: string;
  billingTerm: string;
  price: string;
  cost: string;
  customerDescription: string;
  categoryId: number | undefined;
  subcategoryId: number | undefined;
  typeId: number | undefined;
  productClass: ProductClass;
  unitOfMeasureId: number | undefined;
  identifier: string;
};

export type ProductModel = {
  mode: ReadonlySignal<'choose' | 'bind' | 'export'>;
  search: ReadonlySignal<string>;
  results: ReadonlySignal<CatalogItem[] | undefined>;
  lookups: ReadonlySignal<Lookups | undefined>;
  pricing: ReadonlySignal<Pricing['pricing']>;
  form: ReadonlySignal<ExportForm>;
  busy: ReadonlySignal<boolean>;
  error: ReadonlySignal<string>;
  /** Bind as usage billed in arrears (one line per closed month, spec §5); on by default when it looks like usage. */
  usage: ReadonlySignal<boolean>;
  setUsage(on: boolean): void;
  /** The export form's price and cost when they cannot be read as amounts: the message shown at the field. */
  fieldErrors: ReadonlySignal<Partial<Record<'price' | 'cost', string>>>;
  setMode(mode: 'choose' | 'bind' | 'export'): void;
  searchCatalog(text: string): Promise<void>;
  bindTo(catalogId: number): Promise<boolean>;
  openExport(): Promise<void>;
  setField<K extends keyof ExportForm>(key: K, value: ExportForm[K]): void;
  exportProduct(): Promise<boolean>;
};

export type ProductTarget = {
  pax8ProductId: string;
  productName: string;
  billingTerm: string;
  /** No price and no cost outside a trial (reference §1.6): the usage box starts ticked. */
  looksLikeUsage?: boolean;
};

export const MAX_CATALOG_DESCRIPTION = 60;

const money = (n: number) => n.toFixed(2);

export function createProductModel({ api, product }: { api: Api; product: ProductTarget }): ProductModel {
  const mode = signal<'choose' | 'bind' | 'export'>('choose');
  const search = signal(product.productName.slice(0, 30));
  const results = signal<CatalogItem[] | undefined>(undefined);
  const lookups = signal<Lookups | undefined>(undefined);
  const pricing = signal<Pricing['pricing']>([]);
  const busy = signal(false);
  const error = signal('');
  const usage = signal(product.looksLikeUsage === true);
  const fieldErrors = signal<Partial<Record<'price' | 'cost', string>>>({});
  const form = signal<ExportForm>({
    description: `Pax8 - ${product.productName}`.slice(0, MAX_CATALOG_DESCRIPTION),
    billingTerm: product.billingTerm,
    price: '',
    cost: '',
    customerDescription: product.productName,
    categoryId: undefined,
    subcategoryId: undefined,
    typeId: undefined,
    productClass: 'NonInventory',
    unitOfMeasureId: undefined,
    identifier: '',
  });

  const run = async <T>(work: () => Promise<T>, fallback: string): Promise<T | undefined> => {
    busy.value = true;
    error.value = '';
    try {
      return await work();
    } catch (err) {
      error.value = messageOf(err, fallback);
      return undefined;
    } finally {
      busy.value = false;
    }
  };

  const fillFromPricing = (term: string) => {
    const rate = pricing.peek().find((p) => p.billingTerm === term)?.rates[0];
    if (rate) {
      form.value = {
        ...form.peek(),
        price: money(rate.suggestedRetailPrice),
        cost: money(rate.partnerBuyRate),
      };
    }
  };

  const setField = <K extends keyof ExportForm>(key: K, value: ExportForm[K]) => {
    form.value = { ...form.peek(), [key]: value };
    // As the guide says: price and cost fill in from Pax8 when the term is chosen.
    if (key === 'billingTerm') fillFromPricing(String(value));
  };

  return {
    mode,
    search,
    results,
    lookups,
    pricing,
    form,
    busy,
    error,
    usage,
    setUsage(on) {
      usage.value = on;
    },
    fieldErrors,
    setMode(next) {
      error.value = '';
      mode.value = next;
    },
    async searchCatalog(text) {
      search.value = text;
      const q = text.trim();
      if (!q) return;
      const found = await run(
        () => api.get(`/api/catalog?search=${encodeURIComponent(q.slice(0, 60))}`, CatalogSearchSchema),
        'The catalog search failed',
      );
      if (found) results.value = found.items;
    },
    async bindTo(catalogId) {
      const done = await run(
        () =>
          api.post('/api/bindings/product', {
            pax8ProductId: product.pax8ProductId,
            billingTerm: product.billingTerm,
            cwCatalogId: catalogId,
            usage: usage.peek(),
          }),
        'The product could not be bound',
      );
      return done !== undefined;
    },
    async openExport() {
      mode.value = 'export';
      if (lookups.peek()) return;
      await run(async () => {
        const [l, p] = await Promise.all([
          api.get('/api/catalog/lookups', LookupsSchema),
          api.get(`/api/products/${product.pax8ProductId}/pricing`, PricingSchema),
        ]);
        lookups.value = l;
        pricing.value = p.pricing;
        // The first lookup matching the earliest pattern (in order of preference), else the first row.
        const pick = (rows: { id: number; name: string }[], likes: RegExp[]) => {
          for (const like of likes) {
            const hit = rows.find((r) => like.test(r.name));
            if (hit) return hit.id;
          }
          return rows[0]?.id;
        };
        const categoryId = pick(l.categories, [/productiv/i, /software/i, /cloud/i]);
        const subcategories = l.subcategories.filter((s) => !s.category || s.category.id === categoryId);
        form.value = {
          ...form.peek(),
          categoryId,
          subcategoryId: pick(subcategories, [/productiv/i, /software/i, /cloud/i]),
          typeId: pick(l.types, [/standalone/i, /subscription/i, /service/i]),
          unitOfMeasureId: pick(l.unitsOfMeasure, [/user/i, /seat/i, /license/i, /each/i]),
        };
        fillFromPricing(form.peek().billingTerm);
      }, 'The catalog settings could not be loaded');
    },
    setField,
    async exportProduct() {
      const f = form.peek();
      if (f.subcategoryId === undefined || f.typeId === undefined) {
        error.value = 'Choose a subcategory and a type.';
        return false;
      }
      const body: Record<string, unknown> = {
        pax8ProductId: product.pax8ProductId,
        billingTerm: f.billingTerm,
        description: f.description.trim().slice(0, MAX_CATALOG_DESCRIPTION),
        subcategoryId: f.subcategoryId,
        typeId: f.typeId,
        productClass: f.productClass,
      };
      if (f.customerDescription.trim()) body.customerDescription = f.customerDescription;
      if (f.categoryId !== undefined) body.categoryId = f.categoryId;
      if (f.unitOfMeasureId !== undefined) body.unitOfMeasureId = f.unitOfMeasureId;
      if (f.identifier.trim()) body.identifier = f.identifier.trim();
      // An amount is sent only as typed: `abc`, `-5` or `5.999` stay in the field with the reason.
      const errors: Partial<Record<'price' | 'cost', string>> = {};
      for (const [key, label] of [
        ['price', 'Unit price'],
        ['cost', 'Unit cost'],
      ] as const) {
        if (f[key].trim() === '') continue;
        const parsed = parseMoney(f[key], label);
        if (parsed.ok) body[key] = Number(parsed.value);
        else errors[key] = parsed.message;
      }
      fieldErrors.value = errors;
      if (Object.keys(errors).length) {
        error.value = 'Fix the marked fields to export.';
        return false;
      }
      const done = await run(
        () => api.post('/api/products/export', body, ExportResultSchema),
        'The product could not be exported',
      );
      return done !== undefined;
    },
  };
}
