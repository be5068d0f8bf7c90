// The view's rows and ghosts from the one judgement (judgement/, spec §8): ConnectWise's additions and their
// markers decide the status; the journal only adds "a write is in flight" and when we last wrote.

import type { GhostReason } from '../judgement/index.ts';
import { judge } from '../judgement/index.ts';
import type { JudgementFix, JudgementStatus, MonthFigures, Verdict } from '../judgement/types.ts';
import type { JournalRow, ProductBinding, SyncAddition, SyncAgreement, SyncSubscription } from './ports.ts';
import type { UsageMonthJudged } from './usage.ts';
import { ignoredOwed, withIgnoredProrates } from './view-ignored.ts';

/** The judgement's statuses, plus a usage product's closed month with no line (usage.ts). */
export type RowStatus = JudgementStatus | 'usage_not_billed';
export type RowAction = JudgementFix;

/** The money of a row: what ConnectWise will bill against what it should, per month, and in words. */
export type RowMoney = {
  firstUninvoicedMonth: string;
  months: MonthFigures[];
  backBill: number;
  olderShortfall: number;
  message: string;
  /** A usage product (billed in arrears): its months, synced / not billed / not closed yet (usage.ts). */
  usage?: UsageMonthJudged[];
  /** The term as people read it: "Annual · renews 03/14/2027 · decrease window closes 03/21/2026 14:00". */
  term?: string;
};

export type JudgedRow = {
  subscription: SyncSubscription;
  binding: ProductBinding | null;
  agreementId: number | null;
  addition: SyncAddition | null;
  status: RowStatus;
  action: RowAction;
  unsyncedChanges: number;
  /** The additions the fix is about (the duplicate to cancel, the line to adopt). */
  fixAdditionIds: number[];
  matchedBy: Verdict['matchedBy'];
  /** A write of ours for this subscription is pending, sent, or of unknown outcome (the journal says). */
  writeInFlight: boolean;
  money: RowMoney;
};

export type JudgedGhostRow = { addition: SyncAddition; reason: GhostReason; productName: string | null };

export type JudgeViewInput = {
  /** With the seat history and waived prorates of those read (terms billed up front): judged as the plan values them. */
  subscriptions: readonly (SyncSubscription & {
    history?: readonly { date: string; quantity: number }[];
    waivedChangeKeys?: readonly string[];
  })[];
  /** The agreement in context first. */
  agreements: readonly SyncAgreement[];
  additions: readonly SyncAddition[];
  productBindings: readonly ProductBinding[];
  journal: readonly JournalRow[];
  /** Prices chosen in the wizard, by subscription id (spec §7: they last; the judgement bills at them). */
  priceOverrides?: ReadonlyMap<string, string>;
  today: string;
};

const IN_FLIGHT = new Set(['pending', 'sent', 'unknown']);

/**
 * A rebinding never rewrites history (issue 10 upkeep): the addition keeps the catalog item and marker it was
 * written with, and the row says the binding has moved on since. Null when they agree.
 */
export function bindingChangeOf(
  addition: Pick<SyncAddition, 'catalogId'> | null,
  binding: Pick<ProductBinding, 'cwCatalogId' | 'cwIdentifier'> | null,
): string | null {
  if (!addition || !binding || addition.catalogId === binding.cwCatalogId) return null;
  return `Bound to a different catalog item (${binding.cwIdentifier}) since this addition was written (catalog item #${addition.catalogId}); the addition is left as written.`;
}

/**
 * The addition a row's binding note is about: its recurring line, else (a term paid up front, a usage product:
 * one-time lines only) the newest line this product wrote for the subscription. Null when none was written.
 */
export function writtenAdditionOf(
  row: Pick<JudgedRow, 'addition' | 'subscription'>,
  additions: readonly SyncAddition[],
): SyncAddition | null {
  if (row.addition) return row.addition;
  let newest: SyncAddition | null = null;
  for (const a of additions) {
    if (a.marker?.subscriptionId === row.subscription.id && (newest === null || a.id > newest.id)) newest = a;
  }
  return newest;
}

/**
 * A company bound to another Pax8 company since (issue 10 upkeep): an addition whose marker names a
 * subscription the bound company does not have is left as written, and the view says why it is billed alone.
 */
export function foreignMarkerNote(
  marker: { subscriptionId: string } | null,
  subscriptionIds: ReadonlySet<string>,
  pax8CompanyName: string,
): string | null {
  if (!marker || subscriptionIds.has(marker.subscriptionId)) return null;
  return `Written for Pax8 subscription ${marker.subscriptionId}, which ${pax8CompanyName} does not have: the company was bound to another Pax8 company since, or Pax8 no longer lists it. The addition is left as written.`;
}

/** A change to sync: 1 for every status the sync fixes; an unbound product is a binding to make first. */
export const unsyncedChangesOf = (status: RowStatus): number =>
  status === 'synced' || status === 'product_not_bound' ? 0 : 1;

export function judgeView(input: JudgeViewInput): { rows: JudgedRow[]; ghosts: JudgedGhostRow[] } {
  const lastSyncedAt = new Map<string, string>();
  const inFlight = new Set<string>();
  for (const row of input.journal) {
    if (IN_FLIGHT.has(row.state)) inFlight.add(row.subscriptionId);
    if (row.state !== 'done') continue;
    const was = lastSyncedAt.get(row.subscriptionId);
    if (was === undefined || row.updatedAt > was) lastSyncedAt.set(row.subscriptionId, row.updatedAt);
  }
  const judgement = judge({
    today: input.today,
    subscriptions: input.subscriptions.map((s) => ({
      ...s,
      startDate: s.startDate || input.today,
      priceOverride: input.priceOverrides?.get(s.id) ?? null,
    })),
    agreements: input.agreements.map((a) => ({
      id: a.id,
      status: a.status,
      nextInvoiceDate: a.nextInvoiceDate,
      billingCycle: a.billingCycle,
    })),
    additions: input.additions,
    productBindings: input.productBindings,
    lastSyncedAt,
  });
  const additionOf = new Map(input.additions.map((a) => [a.id, a]));
  const bindingOf = new Map(input.productBindings.map((b) => [`${b.pax8ProductId}|${b.billingTerm}`, b]));
  const owed = ignoredOwed(input.journal, input.additions);
  const rows = input.subscriptions.map((s, i): JudgedRow => {
    const v = judgement.verdicts[i] as Verdict;
    const row: JudgedRow = {
      subscription: s,
      binding: bindingOf.get(`${s.productId}|${s.billingTerm}`) ?? null,
      agreementId: v.agreementId,
      addition: v.additionId === null ? null : (additionOf.get(v.additionId) ?? null),
      status: v.status,
      action: v.fix,
      unsyncedChanges: unsyncedChangesOf(v.status),
      fixAdditionIds: v.fixAdditionIds,
      matchedBy: v.matchedBy,
      writeInFlight: inFlight.has(s.id),
      money: {
        firstUninvoicedMonth: v.firstUninvoicedMonth,
        months: v.months,
        backBill: v.backBill,
        olderShortfall: v.olderShortfall,
        message: v.message,
        term: v.term,
      },
    };
    // Judged with history, an unwritten prorate is already owed in the figures.
    return v.historyJudged ? row : withIgnoredProrates(row, owed.get(s.id));
  });
  const ghosts = judgement.ghosts.flatMap((g): JudgedGhostRow[] => {
    const addition = additionOf.get(g.additionId);
    return addition ? [{ addition, reason: g.reason, productName: g.productName }] : [];
  });
  return { rows, ghosts };
}
