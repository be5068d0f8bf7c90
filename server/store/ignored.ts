// Ignored subscriptions: the ones a partner chose never to sync (hidden from the unsynced list).
import type { Database, IgnoredSubscriptionsTable } from './schema.ts';

export type IgnoredSubscription = {
  tenantId: string;
  subscriptionId: string;
  reason: string;
  ignoredBy: string;
  ignoredAt: string;
};

export type IgnoredSubscriptions = ReturnType<typeof createIgnoredSubscriptions>;

export function createIgnoredSubscriptions(db: Database, now: () => Date = () => new Date()) {
  /** Ignoring again updates the reason and who/when. */
  async function ignore(
    tenantId: string,
    input: { subscriptionId: string; reason: string; ignoredBy: string },
  ): Promise<IgnoredSubscription> {
    const values = { reason: input.reason, ignored_by: input.ignoredBy, ignored_at: now().toISOString() };
    const row = await db
      .insertInto('ignored_subscriptions')
      .values({ tenant_id: tenantId, subscription_id: input.subscriptionId, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'subscription_id']).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toIgnored(row);
  }

  async function restore(tenantId: string, subscriptionId: string): Promise<boolean> {
    const result = await db
      .deleteFrom('ignored_subscriptions')
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async function list(tenantId: string): Promise<IgnoredSubscription[]> {
    const rows = await db
      .selectFrom('ignored_subscriptions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('ignored_at', 'desc')
      .orderBy('subscription_id')
      .execute();
    return rows.map(toIgnored);
  }

  return { ignore, restore, list };
}

function toIgnored(row: IgnoredSubscriptionsTable): IgnoredSubscription {
  return {
    tenantId: row.tenant_id,
    subscriptionId: row.subscription_id,
    reason: row.reason,
    ignoredBy: row.ignored_by,
    ignoredAt: row.ignored_at,
  };
}
