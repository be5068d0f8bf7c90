// Prices chosen in the wizard, remembered per subscription (spec §7 "price overrides last"): the next plan's
// default, with the price Pax8 (or the product binding) asked when it was chosen, so a later change is seen.
import type { Database, PriceOverridesTable } from './schema.ts';

export type PriceOverride = {
  tenantId: string;
  subscriptionId: string;
  /** The chosen unit price, a decimal string ('27.50'). */
  unitPrice: string;
  /** The default price (binding, else Pax8) when it was chosen. */
  pax8Price: string;
  chosenBy: string;
  updatedAt: string;
};

export type PriceOverrides = ReturnType<typeof createPriceOverrides>;

export function createPriceOverrides(db: Database, now: () => Date = () => new Date()) {
  /** Choosing again replaces the price, the Pax8 price it was chosen against, and who/when. */
  async function set(
    tenantId: string,
    input: { subscriptionId: string; unitPrice: string; pax8Price: string; chosenBy: string },
  ): Promise<PriceOverride> {
    const values = {
      unit_price: input.unitPrice,
      pax8_price: input.pax8Price,
      chosen_by: input.chosenBy,
      updated_at: now().toISOString(),
    };
    const row = await db
      .insertInto('price_overrides')
      .values({ tenant_id: tenantId, subscription_id: input.subscriptionId, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'subscription_id']).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toOverride(row);
  }

  async function get(tenantId: string, subscriptionId: string): Promise<PriceOverride | null> {
    const row = await db
      .selectFrom('price_overrides')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    return row ? toOverride(row) : null;
  }

  async function remove(tenantId: string, subscriptionId: string): Promise<boolean> {
    const result = await db
      .deleteFrom('price_overrides')
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Every remembered price of a tenant, by subscription: one query for a view or the audit. */
  async function forTenant(tenantId: string): Promise<Map<string, string>> {
    const rows = await db
      .selectFrom('price_overrides')
      .select(['subscription_id', 'unit_price'])
      .where('tenant_id', '=', tenantId)
      .execute();
    return new Map(rows.map((r) => [r.subscription_id, r.unit_price]));
  }

  return { set, get, remove, forTenant };
}

function toOverride(row: PriceOverridesTable): PriceOverride {
  return {
    tenantId: row.tenant_id,
    subscriptionId: row.subscription_id,
    unitPrice: row.unit_price,
    pax8Price: row.pax8_price,
    chosenBy: row.chosen_by,
    updatedAt: row.updated_at,
  };
}
