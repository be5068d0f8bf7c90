// The unsynced-subscriptions audit: every Pax8 subscription of the tenant against the bindings, ConnectWise's
// additions (through the one judgement, unsynced-judge.ts) and the ignore list. Pure: what was read comes in as
// data, with the clock. Without judged additions it falls back to the journal (the rules' unit tests).
import type { AuditJudged } from './unsynced-judge.ts';
import type { AuditUsage } from './usage.ts';
import type { RowMoney } from './view-rows.ts';

export type UnsyncedReason =
  | 'company_not_bound'
  | 'product_not_bound'
  | 'never_synced'
  | 'changed_since_sync'
  | 'arrears'
  | 'not_on_agreement'
  | 'quantity_differs'
  | 'price_differs'
  | 'prorate_pending'
  | 'duplicate'
  | 'double_billed'
  | 'written_by_hand'
  | 'cancelled_billing'
  | 'trial_billing';

/** The Pax8 subscription fields the audit reads (sync's SyncSubscription fits). */
export type AuditInputSubscription = {
  id: string;
  companyId: string;
  productId: string;
  productName: string;
  quantity: number;
  billingTerm: string;
  status: string;
  price: number;
  partnerCost: number;
  endDate: string | null;
  updatedDate: string | null;
  startDate?: string | undefined;
  commitment?: { term: string; endDate: string | null } | null | undefined;
  createdDate?: string | null | undefined;
  convertedDate?: string | null | undefined;
};

export type AuditSubscription = {
  id: string;
  companyId: string;
  companyName: string;
  productName: string;
  quantity: number;
  billingTerm: string;
  status: string;
  updatedDate: string | null;
};

export type UnsyncedRow = {
  subscription: AuditSubscription;
  cwCompanyId: number | null;
  reason: UnsyncedReason;
  /** When judged from ConnectWise: the agreement it bills on (or should), and the money per month in words. */
  agreementId?: number | null;
  money?: RowMoney;
};

export type IgnoredRow = {
  subscriptionId: string;
  /** Why it was ignored, as the member wrote it. */
  note: string;
  ignoredBy: string;
  ignoredAt: string;
  /** null when Pax8 no longer lists the subscription. */
  subscription: AuditSubscription | null;
  cwCompanyId: number | null;
  /** What the audit would say without the ignore (null: synced or ended). */
  reason: UnsyncedReason | null;
};

export type AuditCounts = {
  /** Subscriptions read from Pax8 (all pages). */
  subscriptions: number;
  companies: number;
  nonArrears: number;
  arrears: number;
  ignored: number;
  synced: number;
  /** Cancelled with an end date in the past: not listed. */
  ended: number;
};

export type UnsyncedAudit = {
  checkedAt: string;
  /** What was checked, in words: an empty list never reads as "all clean" when nothing was read. */
  checked: { subscriptions: number; companies: number; nothingRead: boolean; statement: string };
  counts: AuditCounts;
  nonArrears: UnsyncedRow[];
  arrears: UnsyncedRow[];
  ignored: IgnoredRow[];
};

export type AuditInput = {
  subscriptions: readonly AuditInputSubscription[];
  pax8Companies: readonly { id: string; name: string }[];
  companyBindings: readonly { cwCompanyId: number; pax8CompanyId: string }[];
  productBindings: readonly { pax8ProductId: string; billingTerm: string; usage?: boolean | undefined }[];
  /** The journal rows of these subscriptions (only state and updatedAt are read). */
  journal: ReadonlyMap<string, readonly { state: string; updatedAt: string }[]>;
  ignored: readonly { subscriptionId: string; reason: string; ignoredBy: string; ignoredAt: string }[];
  now: Date;
  /** The judgement over ConnectWise's additions (judgeAudit); absent: the journal alone decides. */
  judged?: ReadonlyMap<string, AuditJudged> | undefined;
  /** Usage subscriptions judged per closed month (usage.ts judgeAuditUsage); absent: arrears are only listed. */
  usage?: ReadonlyMap<string, AuditUsage> | undefined;
};

/**
 * Usage products are billed in arrears from Pax8's invoices, not as recurring additions. Pax8 has no
 * flag for them: billingTerm 'Arrears', or no price and no cost (Azure's plan container) outside a trial.
 */
export function isArrears(
  sub: Pick<AuditInputSubscription, 'billingTerm' | 'price' | 'partnerCost' | 'status'>,
) {
  if (sub.billingTerm.toLowerCase() === 'arrears') return true;
  return sub.price === 0 && sub.partnerCost === 0 && sub.status !== 'Trial';
}

/** Cancelled and its end date (a day or date-time) is before today: nothing left to bill. */
export function hasEnded(sub: Pick<AuditInputSubscription, 'status' | 'endDate'>, now: Date): boolean {
  if (sub.status !== 'Cancelled' || sub.endDate === null) return false;
  return sub.endDate.slice(0, 10) < now.toISOString().slice(0, 10);
}

/** When each subscription was last written to ConnectWise through the journal ('done' rows only). */
export function lastSyncedOf(journal: AuditInput['journal']): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, rows] of journal) {
    for (const row of rows) {
      if (row.state !== 'done') continue;
      const was = out.get(id);
      if (was === undefined || row.updatedAt > was) out.set(id, row.updatedAt);
    }
  }
  return out;
}

export type ClassifyContext = {
  cwCompanyOf: ReadonlyMap<string, number>;
  boundProducts: ReadonlySet<string>;
  /** Products whose binding says usage (billed in arrears), by productKey. */
  usageProducts?: ReadonlySet<string> | undefined;
  lastSynced: ReadonlyMap<string, string>;
  judged?: ReadonlyMap<string, AuditJudged> | undefined;
};

export const productKey = (productId: string, billingTerm: string) => `${productId}|${billingTerm}`;

/** The first thing that keeps a subscription out of ConnectWise, or null when it is synced. */
export function classifySubscription(
  sub: AuditInputSubscription,
  ctx: ClassifyContext,
): UnsyncedReason | null {
  if (isArrears(sub) || ctx.usageProducts?.has(productKey(sub.productId, sub.billingTerm))) return 'arrears';
  if (!ctx.cwCompanyOf.has(sub.companyId)) return 'company_not_bound';
  if (!ctx.boundProducts.has(productKey(sub.productId, sub.billingTerm))) return 'product_not_bound';
  const judged = ctx.judged?.get(sub.id);
  if (judged !== undefined) return judged.reason;
  const synced = ctx.lastSynced.get(sub.id);
  if (synced === undefined) return 'never_synced';
  if (sub.updatedDate !== null && Date.parse(sub.updatedDate) > Date.parse(synced))
    return 'changed_since_sync';
  return null;
}

/** The audit's row order (and its pages' cursor order): company, product, then the subscription id. */
export type SortKeyRow = { subscription: Pick<AuditSubscription, 'companyName' | 'productName' | 'id'> };

export const byCompanyThenProduct = (a: SortKeyRow, b: SortKeyRow): number =>
  a.subscription.companyName.localeCompare(b.subscription.companyName) ||
  a.subscription.productName.localeCompare(b.subscription.productName) ||
  a.subscription.id.localeCompare(b.subscription.id) ||
  (a.subscription.id < b.subscription.id ? -1 : a.subscription.id > b.subscription.id ? 1 : 0);

export function checkedStatement(subscriptions: number, companies: number, counts: AuditCounts): string {
  if (subscriptions === 0) {
    return 'No subscriptions were read from Pax8, so nothing was checked. An empty list here does not mean everything is synced.';
  }
  const s = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    `Checked ${s(subscriptions, 'Pax8 subscription', 'Pax8 subscriptions')} of ${s(companies, 'company', 'companies')}: ` +
    `${counts.nonArrears} unsynced, ${counts.arrears} billed in arrears, ${counts.ignored} ignored, ` +
    `${counts.synced} synced, ${counts.ended} ended.`
  );
}

export function auditUnsynced(input: AuditInput): UnsyncedAudit {
  const names = new Map(input.pax8Companies.map((c) => [c.id, c.name]));
  const ctx: ClassifyContext = {
    cwCompanyOf: new Map(input.companyBindings.map((b) => [b.pax8CompanyId, b.cwCompanyId])),
    boundProducts: new Set(input.productBindings.map((b) => productKey(b.pax8ProductId, b.billingTerm))),
    usageProducts: new Set(
      input.productBindings.filter((b) => b.usage).map((b) => productKey(b.pax8ProductId, b.billingTerm)),
    ),
    lastSynced: lastSyncedOf(input.journal),
    judged: input.judged,
  };
  const ignoredIds = new Set(input.ignored.map((i) => i.subscriptionId));
  const seen = new Map<string, { subscription: AuditSubscription; reason: UnsyncedReason | null }>();
  const nonArrears: UnsyncedRow[] = [];
  const arrears: UnsyncedRow[] = [];
  let synced = 0;
  let ended = 0;
  for (const sub of input.subscriptions) {
    const subscription: AuditSubscription = {
      id: sub.id,
      companyId: sub.companyId,
      companyName: names.get(sub.companyId) ?? `Unknown Pax8 company ${sub.companyId}`,
      productName: sub.productName || sub.productId,
      quantity: sub.quantity,
      billingTerm: sub.billingTerm,
      status: sub.status,
      updatedDate: sub.updatedDate,
    };
    const judged = input.judged?.get(sub.id);
    // An ended subscription is done unless ConnectWise still bills it.
    const isEnded = hasEnded(sub, input.now) && judged?.reason !== 'cancelled_billing';
    const usage = input.usage?.get(sub.id);
    const classified = isEnded ? null : classifySubscription(sub, ctx);
    // A usage subscription whose closed months are all billed is synced; otherwise it is listed with its months.
    const reason = classified === 'arrears' && usage?.judged.status === 'synced' ? null : classified;
    seen.set(sub.id, { subscription, reason });
    if (ignoredIds.has(sub.id)) continue;
    if (isEnded) ended++;
    else if (reason === null) synced++;
    else {
      const row: UnsyncedRow = {
        subscription,
        cwCompanyId: ctx.cwCompanyOf.get(sub.companyId) ?? null,
        reason,
      };
      if (judged && reason === judged.reason && reason !== 'product_not_bound')
        Object.assign(row, { agreementId: judged.agreementId, money: judged.money });
      if (reason === 'arrears' && usage)
        Object.assign(row, { agreementId: usage.agreementId, money: usageMoney(usage) });
      (reason === 'arrears' ? arrears : nonArrears).push(row);
    }
  }
  const ignored = input.ignored.map((i): IgnoredRow => {
    const found = seen.get(i.subscriptionId);
    return {
      subscriptionId: i.subscriptionId,
      note: i.reason,
      ignoredBy: i.ignoredBy,
      ignoredAt: i.ignoredAt,
      subscription: found?.subscription ?? null,
      cwCompanyId: found ? (ctx.cwCompanyOf.get(found.subscription.companyId) ?? null) : null,
      reason: found?.reason ?? null,
    };
  });
  const companies = new Set(input.subscriptions.map((s) => s.companyId)).size;
  const counts: AuditCounts = {
    subscriptions: input.subscriptions.length,
    companies,
    nonArrears: nonArrears.length,
    arrears: arrears.length,
    ignored: ignored.length,
    synced,
    ended,
  };
  return {
    checkedAt: input.now.toISOString(),
    checked: {
      subscriptions: counts.subscriptions,
      companies,
      nothingRead: counts.subscriptions === 0,
      statement: checkedStatement(counts.subscriptions, companies, counts),
    },
    counts,
    nonArrears: nonArrears.sort(byCompanyThenProduct),
    arrears: arrears.sort(byCompanyThenProduct),
    ignored,
  };
}

/** A usage row's money: its months (synced / not billed with the amount / not closed yet) and their words. */
function usageMoney(u: AuditUsage): RowMoney {
  return {
    firstUninvoicedMonth: '',
    months: [],
    backBill: u.judged.notBilled,
    olderShortfall: 0,
    message: u.judged.message,
    usage: u.judged.months,
    term: 'Usage · billed in arrears',
  };
}
