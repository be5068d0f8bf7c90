// Plan a sync: load the snapshot (Pax8 subscription + history, CW agreement + additions, bindings and
// journal from the store), run billing's planAdditions, and save the plan with an expiry.
import {
  type AdditionPlan,
  type AgreementStatus,
  BillingInputError,
  type BillingSnapshot,
  type PlanOptions,
  planAdditions,
} from '../billing/index.ts';
import { AppError } from '../errors.ts';
import { type Limits, planWithinLimits } from './limits.ts';
import { withAdoption } from './plan-adopt.ts';
import { refuseIfBilledElsewhere } from './plan-elsewhere.ts';
import { otherClaims, periodOf, recurringLogOf, syncedKeys } from './plan-ledger-inputs.ts';
import { type PriceChoice, withRememberedPrice } from './plan-price.ts';
import type { PlanBody } from './plan-types.ts';
import type { ProductBinding, SyncStore, SyncUpstream } from './ports.ts';
import { isUsageSubscription, usageSnapshotOf } from './usage.ts';

export const PLAN_TTL_MS = 30 * 60 * 1000;

export type PlanContext = {
  store: SyncStore;
  upstream: SyncUpstream;
  now: () => Date;
  memberId: string;
  newId: () => string;
  ttlMs?: number;
};

export type PlanRequest = {
  subscriptionId: string;
  agreementId: number;
  options?: PlanOptions | undefined;
  /**
   * The tenant's default for a quantity change when the wizard has not chosen: 'create' is tried first and
   * falls back to 'update' (with a warning) where a new addition cannot start after the current one.
   */
  defaultMode?: 'update' | 'create';
  /** The tenant's sanity limits (spec §9, limits.ts); the defaults when absent. */
  limits?: Limits;
  /** The tenant's bill option and taxable for lines whose product binding names none (Settings). */
  lineDefaults?: LineDefaults;
};

export type LineDefaults = {
  billCustomer: 'Billable' | 'DoNotBill' | 'NoCharge';
  taxable: 'catalog' | 'yes' | 'no';
};

/** Binding, else tenant, else the catalog item (taxable) or Billable (spec §1). */
export function lineDefaultsOf(
  binding: { billCustomer?: ProductBinding['billCustomer']; taxable?: ProductBinding['taxable'] },
  tenant: LineDefaults | undefined,
  catalogTaxable: boolean,
): { billCustomer: 'Billable' | 'DoNotBill' | 'NoCharge'; taxable: boolean } {
  const tenantTaxable = tenant?.taxable === 'yes' ? true : tenant?.taxable === 'no' ? false : catalogTaxable;
  return {
    billCustomer: binding.billCustomer ?? tenant?.billCustomer ?? 'Billable',
    taxable: binding.taxable ?? tenantTaxable,
  };
}

export type PlanResponse = {
  planId: string;
  expiresAt: string;
  term: string;
  /** The term as people read it: "Annual · renews 03/14/2027 · decrease window closes 03/21/2026 14:00". */
  termLabel: string;
  mode: AdditionPlan['mode'];
  defaultEffectiveDate: string;
  additions: AdditionPlan['writes'];
  prorates: AdditionPlan['prorates'];
  review: AdditionPlan['review'];
  warnings: AdditionPlan['warnings'];
  /** The recurring addition was matched by product, not by this subscription's marker (the review says so). */
  matchedByProduct: boolean;
};

const agreementStatuses = new Set(['Active', 'Cancelled', 'Expired', 'Inactive']);

export async function loadSnapshot(
  ctx: Pick<PlanContext, 'store' | 'upstream' | 'now'>,
  req: Pick<PlanRequest, 'subscriptionId' | 'agreementId' | 'lineDefaults'>,
): Promise<{ snapshot: BillingSnapshot; knownAdditionIds: number[] }> {
  const { store, upstream } = ctx;
  const [agreement, subscription] = await Promise.all([
    upstream.getAgreement(req.agreementId),
    upstream.getSubscription(req.subscriptionId),
  ]);
  if (!agreement)
    throw new AppError('not_found', `Agreement ${req.agreementId} was not found in ConnectWise`);
  if (!subscription)
    throw new AppError('not_found', `Subscription ${req.subscriptionId} was not found in Pax8`);
  const companyBinding = await store.companyBindingByCw(agreement.company.id);
  if (!companyBinding) {
    throw new AppError('not_configured', `${agreement.company.name} is not bound to a Pax8 company yet`, {
      details: { cwCompanyId: agreement.company.id },
    });
  }
  if (companyBinding.pax8CompanyId !== subscription.companyId) {
    throw new AppError(
      'bad_request',
      `Subscription ${subscription.id} belongs to another Pax8 company than ${agreement.company.name}`,
      { details: { subscriptionId: subscription.id, cwCompanyId: agreement.company.id } },
    );
  }
  const binding = await store.productBinding(subscription.productId, subscription.billingTerm);
  if (!binding) {
    throw new AppError(
      'not_configured',
      `${subscription.productName} (${subscription.billingTerm}) is not bound to a ConnectWise catalog item`,
      { details: { pax8ProductId: subscription.productId, billingTerm: subscription.billingTerm } },
    );
  }
  await refuseIfBilledElsewhere(upstream, agreement, subscription.id, ctx.now().toISOString().slice(0, 10));
  const [history, additions, catalogItem, journalKeys, journal, claims, waived] = await Promise.all([
    upstream.subscriptionHistory(subscription.id),
    upstream.listAdditions(agreement.id),
    upstream.getCatalogItem(binding.cwCatalogId),
    store.syncedChangeKeys(subscription.id, agreement.id),
    store.journalForSubscriptions([subscription.id]),
    otherClaims(ctx, subscription, agreement.id),
    store.waivedChangeKeys?.(subscription.id) ?? Promise.resolve([]),
  ]);
  if (!catalogItem) {
    throw new AppError(
      'not_configured',
      `Catalog item ${binding.cwCatalogId} no longer exists in ConnectWise`,
      {
        details: { cwCatalogId: binding.cwCatalogId },
      },
    );
  }
  const sortedHistory = [...history].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const mine = journal.filter((j) => j.agreementId === agreement.id && j.state === 'done');
  const today = ctx.now().toISOString().slice(0, 10);
  // A usage product is billed per closed month from Pax8's invoices, never as a recurring addition (spec §5).
  const usage = isUsageSubscription(subscription, binding)
    ? await usageSnapshotOf(ctx.upstream, {
        subscriptionId: subscription.id,
        today,
        additions,
        journal,
        markupPercent: binding.markupPercent,
      })
    : undefined;
  const snapshot: BillingSnapshot = {
    today: ctx.now().toISOString().slice(0, 10),
    subscription: {
      id: subscription.id,
      productId: subscription.productId,
      productName: subscription.productName,
      billingTerm: subscription.billingTerm,
      quantity: subscription.quantity,
      price: subscription.price,
      partnerCost: subscription.partnerCost,
      startDate: subscription.startDate,
      endDate: subscription.endDate ?? undefined,
      status: subscription.status,
      commitment: subscription.commitment ?? null,
      createdDate: subscription.createdDate ?? null,
      convertedDate: subscription.convertedDate ?? undefined,
      history: sortedHistory,
    },
    agreement: {
      id: agreement.id,
      name: agreement.name,
      status: (agreementStatuses.has(agreement.status) ? agreement.status : 'Inactive') as AgreementStatus,
      nextInvoiceDate: agreement.nextInvoiceDate ?? undefined,
      billingCycle: agreement.billingCycle ?? undefined,
    },
    product: {
      catalogId: catalogItem.id,
      identifier: catalogItem.identifier,
      description: catalogItem.description,
      ...lineDefaultsOf(binding, req.lineDefaults, catalogItem.taxable),
      // The binding's price wins; else billing falls back to the Pax8 subscription price (spec §1).
      price: binding.price ?? undefined,
    },
    additions: additions
      .filter((a) => a.effectiveDate !== null)
      .map((a) => ({
        id: a.id,
        catalogId: a.catalogId,
        quantity: a.quantity,
        unitPrice: a.unitPrice,
        unitCost: a.unitCost,
        effectiveDate: a.effectiveDate as string,
        cancelledDate: a.cancelledDate,
        invoiceDescription: a.invoiceDescription,
        billCustomer: a.billCustomer,
        taxable: a.taxable,
        marker: a.marker,
        period: periodOf(mine, a.id),
      })),
    // A synced prorate is judged from ConnectWise's additions by marker first, the journal second (spec §7, §8).
    syncedChangeKeys: syncedKeys(
      subscription.id,
      agreement.id,
      sortedHistory,
      additions,
      journalKeys,
      journal,
    ),
    waivedChangeKeys: waived,
    recurringLog: recurringLogOf(mine),
    claims,
    ...(usage ? { usage } : {}),
  };
  return { snapshot, knownAdditionIds: additions.map((a) => a.id) };
}

function planWithDefaultMode(snapshot: Parameters<typeof planAdditions>[0], req: PlanRequest): AdditionPlan {
  const options = req.options ?? {};
  if (req.defaultMode !== 'create' || options.mode !== undefined) return planAdditions(snapshot, options);
  try {
    return planAdditions(snapshot, { ...options, mode: 'create' });
  } catch (err) {
    if (!(err instanceof BillingInputError) || err.field !== 'effectiveDate') throw err;
    const plan = planAdditions(snapshot, { ...options, mode: 'update' });
    plan.warnings.push({
      code: 'create_new_not_possible',
      message: `Creating a new addition is this tenant's default, but ${err.message}; the existing addition is updated instead. Choose a later effective date to create a new one.`,
    });
    return plan;
  }
}

export async function makePlan(ctx: PlanContext, req: PlanRequest): Promise<PlanResponse> {
  const { snapshot, knownAdditionIds } = await loadSnapshot(ctx, req);
  const remembered = (await ctx.store.priceOverride?.(req.subscriptionId)) ?? null;
  let plan: AdditionPlan;
  let priceChoice: PriceChoice | null | undefined;
  try {
    plan = planWithinLimits(req.options, snapshot.subscription.quantity, req.limits, () => {
      const price = withRememberedPrice(snapshot, req.options ?? {}, remembered);
      priceChoice = price.remember;
      const planned = planWithDefaultMode(snapshot, { ...req, options: price.options });
      planned.warnings.push(...price.warnings);
      return planned;
    });
  } catch (err) {
    if (err instanceof BillingInputError) {
      throw new AppError('bad_request', `Invalid options: ${err.field}: ${err.message}`, {
        details: [{ path: `options.${err.field}`, message: err.message }],
      });
    }
    throw err;
  }
  plan = withAdoption(plan);
  const now = ctx.now();
  const planId = ctx.newId();
  const expiresAt = new Date(now.getTime() + (ctx.ttlMs ?? PLAN_TTL_MS)).toISOString();
  const body: PlanBody = {
    subscriptionId: req.subscriptionId,
    agreementId: req.agreementId,
    writes: plan.writes,
    review: plan.review,
    warnings: plan.warnings,
    term: plan.term,
    ...(priceChoice === undefined ? {} : { priceChoice }),
    knownAdditionIds,
  };
  await ctx.store.savePlan({
    id: planId,
    memberId: ctx.memberId,
    subscriptionId: req.subscriptionId,
    agreementId: req.agreementId,
    body,
    createdAt: now.toISOString(),
    expiresAt,
  });
  return {
    planId,
    expiresAt,
    term: plan.term,
    termLabel: plan.termLabel,
    mode: plan.mode,
    defaultEffectiveDate: plan.defaultEffectiveDate,
    additions: plan.writes,
    prorates: plan.prorates,
    review: plan.review,
    warnings: plan.warnings,
    matchedByProduct: plan.matchedByProduct,
  };
}
