// The "ghosts": additions billing for a Pax8 product with no live subscription behind them. Pure.
import type {
  GhostReason,
  JudgeAddition,
  JudgeBinding,
  JudgedGhost,
  JudgeInput,
  JudgeSubscription,
} from './types.ts';

export type { GhostReason };

/** A one-time line (cancelled in the month it starts) is a prorate or extra months, not the recurring one. */
export function isOneMonthLine(a: Pick<JudgeAddition, 'effectiveDate' | 'cancelledDate'>): boolean {
  return (
    a.cancelledDate !== null &&
    a.effectiveDate !== null &&
    a.cancelledDate.slice(0, 7) === a.effectiveDate.slice(0, 7)
  );
}

export type GhostInput<A> = {
  /** The agreement's additions (every agreement of the view). */
  additions: readonly A[];
  /** Every Pax8 subscription of the bound company, whatever its status. */
  subscriptions: readonly Pick<JudgeSubscription, 'productId' | 'productName' | 'status' | 'endDate'>[];
  /** Every product binding of the tenant: which catalog items stand for a Pax8 product. */
  productBindings: readonly Pick<JudgeBinding, 'pax8ProductId' | 'cwCatalogId'>[];
  today: string;
};

export type GhostVerdict<A> = { addition: A; reason: GhostReason; productName: string | null };

/** Cancelled and past its end date (or with none): the subscription no longer stands behind any billing. */
export function subscriptionGone(s: Pick<JudgeSubscription, 'status' | 'endDate'>, today: string): boolean {
  return s.status === 'Cancelled' && (s.endDate === null || s.endDate.slice(0, 10) < today);
}

/**
 * The "ghosts": recurring additions billing now for a catalog item bound to a Pax8 product, with no live
 * subscription of that product behind them. Whether a ghost should stop billing is the MSP's call, so
 * this only reports them; a second addition for a product that has a subscription is not a ghost here.
 */
export function findGhosts<A extends Pick<JudgeAddition, 'catalogId' | 'effectiveDate' | 'cancelledDate'>>(
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

/**
 * Ghosts: a marked recurring line still billing whose subscription is gone (cancelled and ended) or unknown, and
 * an unmarked line of a bound product with no live subscription of that product (findGhosts).
 */
export function ghostsOf(input: JudgeInput): JudgedGhost[] {
  const { today } = input;
  const byId = new Map(input.subscriptions.map((s) => [s.id, s]));
  const byProduct = new Map(
    findGhosts({
      additions: input.additions.filter((a) => a.marker === null),
      subscriptions: input.subscriptions,
      productBindings: input.productBindings,
      today,
    }).map((g) => [g.addition, g]),
  );
  const out: JudgedGhost[] = [];
  for (const a of input.additions) {
    const found = byProduct.get(a);
    if (found) {
      out.push({
        additionId: a.id,
        agreementId: a.agreementId,
        reason: found.reason,
        subscriptionId: null,
        productName: found.productName,
      });
      continue;
    }
    if (a.marker === null || a.marker.kind !== 'recurring') continue;
    if (a.cancelledDate !== null && a.cancelledDate < today) continue;
    const s = byId.get(a.marker.subscriptionId);
    if (s && !subscriptionGone(s, today)) continue;
    out.push({
      additionId: a.id,
      agreementId: a.agreementId,
      reason: s ? 'subscription_cancelled' : 'no_subscription',
      subscriptionId: a.marker.subscriptionId,
      productName: s?.productName ?? null,
    });
  }
  return out;
}
