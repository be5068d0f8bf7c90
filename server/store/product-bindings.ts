// Product bindings: a Pax8 product on a billing term → a ConnectWise catalog item, with optional price
// override and usage markup (exact decimal strings).
import type { Database, ProductBindingsTable } from './schema.ts';
import { checkDecimal } from './util.ts';

export type ProductBinding = {
  tenantId: string;
  pax8ProductId: string;
  /** Pax8's billing term as it names it, e.g. 'Monthly', 'Annual', 'Trial', 'Activation'. */
  billingTerm: string;
  cwCatalogId: number;
  cwIdentifier: string;
  /** Unit price override, e.g. "12.50"; null = the catalog price. */
  price: string | null;
  /** For usage-based products, e.g. "15" (%); null = none. */
  markupPercent: string | null;
  /** Usage billed in arrears (Azure): one line per closed month, never a recurring addition (spec §5). */
  usage: boolean;
  /** The default bill option of lines written for it; null = the tenant's default (Settings). */
  billCustomer: BillOption | null;
  /** The default taxable of lines written for it; null = the tenant's default, else the catalog item's. */
  taxable: boolean | null;
  updatedAt: string;
};

export type BillOption = 'Billable' | 'DoNotBill' | 'NoCharge';
const BILL_OPTIONS: readonly string[] = ['Billable', 'DoNotBill', 'NoCharge'];

export type ProductBindingInput = Omit<
  ProductBinding,
  'tenantId' | 'updatedAt' | 'price' | 'markupPercent' | 'usage' | 'billCustomer' | 'taxable'
> & {
  billCustomer?: BillOption | null;
  taxable?: boolean | null;
  price?: string | null;
  markupPercent?: string | null;
  usage?: boolean;
};

export type ProductBindings = ReturnType<typeof createProductBindings>;

export function createProductBindings(db: Database, now: () => Date = () => new Date()) {
  async function upsert(tenantId: string, input: ProductBindingInput): Promise<ProductBinding> {
    const values = {
      cw_catalog_id: input.cwCatalogId,
      cw_identifier: input.cwIdentifier,
      price: checkDecimal('price', input.price ?? null),
      markup_percent: checkDecimal('markupPercent', input.markupPercent ?? null),
      // Left as it is when not given: a rebind from the catalog screen keeps the usage flag.
      ...(input.usage === undefined ? {} : { usage: input.usage ? 1 : 0 }),
      // Likewise the defaults: a rebind that does not name them keeps them (null clears one).
      ...(input.billCustomer === undefined ? {} : { bill_customer: input.billCustomer }),
      ...(input.taxable === undefined
        ? {}
        : { taxable: input.taxable === null ? null : input.taxable ? 1 : 0 }),
      updated_at: now().toISOString(),
    };
    const row = await db
      .insertInto('product_bindings')
      .values({
        tenant_id: tenantId,
        pax8_product_id: input.pax8ProductId,
        billing_term: input.billingTerm,
        ...values,
        usage: input.usage ? 1 : 0,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'pax8_product_id', 'billing_term']).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toBinding(row);
  }

  async function get(
    tenantId: string,
    pax8ProductId: string,
    billingTerm: string,
  ): Promise<ProductBinding | null> {
    const row = await db
      .selectFrom('product_bindings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('pax8_product_id', '=', pax8ProductId)
      .where('billing_term', '=', billingTerm)
      .executeTakeFirst();
    return row ? toBinding(row) : null;
  }

  async function list(tenantId: string): Promise<ProductBinding[]> {
    const rows = await db
      .selectFrom('product_bindings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('pax8_product_id')
      .orderBy('billing_term')
      .execute();
    return rows.map(toBinding);
  }

  async function remove(tenantId: string, pax8ProductId: string, billingTerm: string): Promise<boolean> {
    const result = await db
      .deleteFrom('product_bindings')
      .where('tenant_id', '=', tenantId)
      .where('pax8_product_id', '=', pax8ProductId)
      .where('billing_term', '=', billingTerm)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  return { upsert, get, list, remove };
}

function toBinding(row: ProductBindingsTable): ProductBinding {
  return {
    tenantId: row.tenant_id,
    pax8ProductId: row.pax8_product_id,
    billingTerm: row.billing_term,
    cwCatalogId: row.cw_catalog_id,
    cwIdentifier: row.cw_identifier,
    price: row.price,
    markupPercent: row.markup_percent,
    usage: Number(row.usage) === 1,
    billCustomer: BILL_OPTIONS.includes(row.bill_customer ?? '') ? (row.bill_customer as BillOption) : null,
    taxable: row.taxable === null || row.taxable === undefined ? null : Number(row.taxable) === 1,
    updatedAt: row.updated_at,
  };
}
