// The pod's row status: one Pax8 subscription against the agreement's additions, and the one action
// that fixes it. Pure: the journal and the clock come in as data.
import { isOneMonthLine } from '../judgement/ghosts.ts';
import type { ProductBinding, SyncAddition, SyncSubscription } from './ports.ts';

export {
  findGhosts,
  type GhostInput,
  type GhostReason,
  type GhostVerdict,
  isOneMonthLine,
  subscriptionGone,
} from '../judgement/ghosts.ts';

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
