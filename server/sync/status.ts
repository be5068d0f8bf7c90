// The pod's row status: one Pax8 subscription against the agreement's additions, and the one action
// that fixes it. Pure: the journal and the clock come in as data.
import type { ProductBinding, SyncAddition, SyncSubscription } from './ports.ts';

export type RowStatus =
  | 'synced'
  | 'quantity_differs'
  | 'price_differs'
  | 'not_on_agreement'
  | 'product_not_bound'
  | 'change_not_synced';

export type RowAction = 'sync' | 'bind_product' | 'bind_company' | 'none';

export type RowClassification = { status: RowStatus; action: RowAction; unsyncedChanges: number };

export type ClassifyInput = {
  subscription: Pick<SyncSubscription, 'quantity' | 'price' | 'partnerCost' | 'updatedDate' | 'status'>;
  productBinding: Pick<ProductBinding, 'cwCatalogId' | 'price'> | null;
  /** The addition that bills this subscription now (see currentAddition), or null. */
  addition: Pick<SyncAddition, 'quantity' | 'unitPrice' | 'unitCost' | 'updatedAt'> | null;
  /** When this subscription was last synced through the journal (ISO), or null if never. */
  lastSyncedAt: string | null;
};

const cents = (value: number | string): number => Math.round(Number(value) * 100);

/** A one-time line (cancelled in the month it starts) is a prorate or extra months, not the recurring one. */
export function isOneMonthLine(a: Pick<SyncAddition, 'effectiveDate' | 'cancelledDate'>): boolean {
  return (
    a.cancelledDate !== null &&
    a.effectiveDate !== null &&
    a.cancelledDate.slice(0, 7) === a.effectiveDate.slice(0, 7)
  );
}

/** Picks the addition billing a catalog item: not cancelled before `today`, most recent effective date. */
export function currentAddition<
  A extends Pick<SyncAddition, 'catalogId' | 'effectiveDate' | 'cancelledDate'>,
>(additions: readonly A[], catalogId: number, today: string): A | null {
  let best: A | null = null;
  for (const a of additions) {
    if (a.catalogId !== catalogId) continue;
    if (a.cancelledDate !== null && a.cancelledDate < today) continue;
    if (isOneMonthLine(a)) continue;
    if (best === null || (a.effectiveDate ?? '') > (best.effectiveDate ?? '')) best = a;
  }
  return best;
}

const inactive = new Set(['Cancelled', 'PendingCancel']);

export function classifyRow(input: ClassifyInput): RowClassification {
  const { subscription: sub, productBinding, addition, lastSyncedAt } = input;
  if (productBinding === null)
    return { status: 'product_not_bound', action: 'bind_product', unsyncedChanges: 0 };
  const wantedQuantity = inactive.has(sub.status) ? 0 : sub.quantity;
  if (addition === null) {
    if (wantedQuantity === 0) return { status: 'synced', action: 'none', unsyncedChanges: 0 };
    return { status: 'not_on_agreement', action: 'sync', unsyncedChanges: 1 };
  }
  if (addition.quantity !== wantedQuantity)
    return { status: 'quantity_differs', action: 'sync', unsyncedChanges: 1 };
  const price = productBinding.price ?? sub.price;
  if (cents(addition.unitPrice) !== cents(price) || cents(addition.unitCost) !== cents(sub.partnerCost)) {
    return { status: 'price_differs', action: 'sync', unsyncedChanges: 1 };
  }
  // The quantities agree, but Pax8 changed after our last sync (and after anyone touched the addition):
  // a mid-month increase may still owe a prorate.
  const seen = [lastSyncedAt, addition.updatedAt].filter((t): t is string => t !== null).sort();
  const latest = seen.at(-1);
  if (sub.updatedDate !== null && latest !== undefined && Date.parse(sub.updatedDate) > Date.parse(latest)) {
    return { status: 'change_not_synced', action: 'sync', unsyncedChanges: 1 };
  }
  return { status: 'synced', action: 'none', unsyncedChanges: 0 };
}

export type GhostReason = 'subscription_cancelled' | 'no_subscription';

export type GhostInput<A> = {
  /** The agreement's additions (every agreement of the view). */
  additions: readonly A[];
  /** Every Pax8 subscription of the bound company, whatever its status. */
  subscriptions: readonly Pick<SyncSubscription, 'productId' | 'productName' | 'status' | 'endDate'>[];
  /** Every product binding of the tenant: which catalog items stand for a Pax8 product. */
  productBindings: readonly Pick<ProductBinding, 'pax8ProductId' | 'cwCatalogId'>[];
  today: string;
};

export type GhostVerdict<A> = { addition: A; reason: GhostReason; productName: string | null };

/** Cancelled and past its end date (or with none): the subscription no longer stands behind any billing. */
export function subscriptionGone(s: Pick<SyncSubscription, 'status' | 'endDate'>, today: string): boolean {
  return s.status === 'Cancelled' && (s.endDate === null || s.endDate.slice(0, 10) < today);
}

/**
 * The "ghosts": recurring additions billing now for a catalog item bound to a Pax8 product, with no live
 * subscription of that product behind them. Whether a ghost should stop billing is the MSP's call, so
 * this only reports them; a second addition for a product that has a subscription is not a ghost here.
 */
export function findGhosts<A extends Pick<SyncAddition, 'catalogId' | 'effectiveDate' | 'cancelledDate'>>(
  input: GhostInput<A>,
): GhostVerdict<A>[] {
  const { today } = input;
  const productsOf = new Map<number, Set<string>>();
  for (const b of input.productBindings) {
    const set = productsOf.get(b.cwCatalogId) ?? new Set<string>();
    set.add(b.pax8ProductId);
    productsOf.set(b.cwCatalogId, set);
  }
  const ghosts: GhostVerdict<A>[] = [];
  for (const a of input.additions) {
    const products = productsOf.get(a.catalogId);
    if (!products) continue;
    if (a.effectiveDate !== null && a.effectiveDate.slice(0, 7) > today.slice(0, 7)) continue;
    if (a.cancelledDate !== null && a.cancelledDate < today) continue;
    if (isOneMonthLine(a)) continue;
    const subs = input.subscriptions.filter((s) => products.has(s.productId));
    if (subs.some((s) => !subscriptionGone(s, today))) continue;
    const cancelled = subs[0];
    ghosts.push(
      cancelled
        ? { addition: a, reason: 'subscription_cancelled', productName: cancelled.productName }
        : { addition: a, reason: 'no_subscription', productName: null },
    );
  }
  return ghosts;
}
