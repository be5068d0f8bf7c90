// Bulk review (issue 11 item 2): the single planner run per selected subscription, its writes gathered into one
// review grouped by agreement, each line with an id that can be ignored, money per line, per agreement and
// overall, and the items that could not be planned with their reason. Kept server-side with the plans' expiry.
import { formatCents, timesCents, toCents } from '../billing/money.ts';
import { isAppError } from '../errors.ts';
import { makePlan, type PlanContext, type PlanRequest, type PlanResponse } from './plan.ts';

export type BulkItemRequest = { subscriptionId: string; agreementId: number };

export type BulkLine = {
  /** `<item seq>:<write key>`: what the member ignores. */
  id: string;
  seq: number;
  key: string;
  subscriptionId: string;
  productName: string;
  title: string;
  kind: string;
  action: string;
  quantity: number;
  unitPrice: string;
  unitCost: string;
  effectiveDate: string;
  cancelledDate: string | null;
  /** unitPrice × quantity and unitCost × quantity, in dollars ('12.50'). */
  totalPrice: string;
  totalCost: string;
  /** (price − cost) / price in percent with one decimal; null when the price is 0. */
  marginPercent: string | null;
  /** Below the tenant's margin floor: applying it needs an explicit confirmation. */
  belowMarginFloor: boolean;
};

export type BulkTotals = { lines: number; price: string; cost: string };

export type BulkGroup = {
  agreementId: number;
  agreementName: string;
  companyName: string;
  lines: BulkLine[];
  totals: BulkTotals;
};

export type BulkPlannedItem = BulkItemRequest & { seq: number; planId: string };
export type BulkRefusedItem = BulkItemRequest & { code: string; message: string };

export type BulkPlanBody = {
  kind: 'apply';
  items: BulkPlannedItem[];
  refused: BulkRefusedItem[];
  groups: BulkGroup[];
  totals: BulkTotals;
  marginFloorPercent: number | null;
};

export type BulkPlanContext = PlanContext & {
  /** What every item's plan request carries besides its ids (the tenant's defaults and limits). */
  defaults: Omit<PlanRequest, 'subscriptionId' | 'agreementId'>;
  marginFloorPercent: number | null;
  /** Items planned at once (each reads both upstreams): the per-tenant cap. */
  concurrency: number;
};

/** Runs `fn` over `items` with at most `limit` at once, results in input order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

type ReviewRowLike = { key: string; title?: string; productName?: { pax8?: string } };

function marginOf(priceCents: number, costCents: number): number | null {
  return priceCents === 0 ? null : ((priceCents - costCents) * 100) / priceCents;
}

function lineOf(seq: number, subscriptionId: string, plan: PlanResponse, floor: number | null) {
  const rows = new Map(((plan.review ?? []) as ReviewRowLike[]).map((r) => [r.key, r]));
  return plan.additions
    .filter((w) => w.action !== 'none')
    .map((w): BulkLine & { priceCents: number; costCents: number } => {
      const row = rows.get(w.key);
      const priceCents = timesCents(toCents(w.unitPrice, 'unitPrice'), w.quantity, 'quantity');
      const costCents = timesCents(toCents(w.unitCost, 'unitCost'), w.quantity, 'quantity');
      const margin = marginOf(toCents(w.unitPrice, 'unitPrice'), toCents(w.unitCost, 'unitCost'));
      return {
        id: `${seq}:${w.key}`,
        seq,
        key: w.key,
        subscriptionId,
        productName: row?.productName?.pax8 ?? '',
        title: row?.title ?? `${w.action} ${w.kind}`,
        kind: w.kind,
        action: w.action,
        quantity: w.quantity,
        unitPrice: w.unitPrice,
        unitCost: w.unitCost,
        effectiveDate: w.effectiveDate,
        cancelledDate: w.cancelledDate,
        totalPrice: formatCents(priceCents),
        totalCost: formatCents(costCents),
        marginPercent: margin === null ? null : margin.toFixed(1),
        // A cancel writes no money; only lines that bill are held to the floor.
        belowMarginFloor:
          floor !== null && w.action !== 'cancel' && priceCents > 0 && margin !== null && margin < floor,
        priceCents,
        costCents,
      };
    });
}

const totalsOf = (lines: { priceCents: number; costCents: number }[]): BulkTotals => ({
  lines: lines.length,
  price: formatCents(lines.reduce((s, l) => s + l.priceCents, 0)),
  cost: formatCents(lines.reduce((s, l) => s + l.costCents, 0)),
});

export async function makeBulkPlan(
  ctx: BulkPlanContext,
  requests: readonly BulkItemRequest[],
): Promise<BulkPlanBody> {
  const outcomes = await mapLimited(requests, ctx.concurrency, async (req, seq) => {
    try {
      const plan = await makePlan(ctx, { ...ctx.defaults, ...req });
      const agreement = await ctx.upstream.getAgreement(req.agreementId);
      return { ok: true as const, req, seq, plan, agreement };
    } catch (err) {
      // Every expected refusal is an AppError (not bound, billed elsewhere, limits, upstream down): listed.
      if (!isAppError(err)) throw err;
      return { ok: false as const, req, code: err.code, message: err.message };
    }
  });
  const items: BulkPlannedItem[] = [];
  const refused: BulkRefusedItem[] = [];
  const groups = new Map<number, BulkGroup & { money: { priceCents: number; costCents: number }[] }>();
  const all: { priceCents: number; costCents: number }[] = [];
  for (const o of outcomes) {
    if (!o.ok) {
      refused.push({ ...o.req, code: o.code, message: o.message });
      continue;
    }
    items.push({ ...o.req, seq: o.seq, planId: o.plan.planId });
    let group = groups.get(o.req.agreementId);
    if (!group) {
      group = {
        agreementId: o.req.agreementId,
        agreementName: o.agreement?.name ?? String(o.req.agreementId),
        companyName: o.agreement?.company.name ?? '',
        lines: [],
        totals: totalsOf([]),
        money: [],
      };
      groups.set(o.req.agreementId, group);
    }
    for (const { priceCents, costCents, ...line } of lineOf(
      o.seq,
      o.req.subscriptionId,
      o.plan,
      ctx.marginFloorPercent,
    )) {
      group.lines.push(line);
      group.money.push({ priceCents, costCents });
      all.push({ priceCents, costCents });
    }
  }
  const sorted = [...groups.values()].sort(
    (a, b) => a.companyName.localeCompare(b.companyName) || a.agreementName.localeCompare(b.agreementName),
  );
  return {
    kind: 'apply',
    items,
    refused,
    groups: sorted.map(({ money, ...g }) => ({ ...g, totals: totalsOf(money) })),
    totals: totalsOf(all),
    marginFloorPercent: ctx.marginFloorPercent,
  };
}
