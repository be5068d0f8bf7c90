// The audit's "synced" from the one judgement (spec §8): each bound company's subscriptions against the
// additions of its ConnectWise company's active agreements, read in pages (see readBoundAdditions). Pure part
// first (judgeAudit), then the bounded reads.
import { judge } from '../judgement/index.ts';
import type { JudgeAddition, JudgeBinding, JudgementStatus } from '../judgement/types.ts';
import type { JournalRow, SyncAddition, SyncAgreement } from './ports.ts';
import type { AuditInputSubscription, UnsyncedReason } from './unsynced.ts';
import { ignoredOwed, ignoredOwedMoney } from './view-ignored.ts';
import type { RowMoney } from './view-rows.ts';

export type AuditJudged = { reason: UnsyncedReason | null; agreementId: number | null; money: RowMoney };

export type AuditJudgeInput = {
  subscriptions: readonly AuditInputSubscription[];
  companyBindings: readonly { cwCompanyId: number; pax8CompanyId: string }[];
  productBindings: readonly JudgeBinding[];
  /** The active agreements of the bound ConnectWise companies. */
  agreements: readonly SyncAgreement[];
  /** Every addition of those agreements, with markers. */
  additions: readonly JudgeAddition[];
  /** When each subscription was last written through the journal (done rows). */
  lastSynced: ReadonlyMap<string, string>;
  /** Prices chosen in the wizard, by subscription id (spec §7). */
  priceOverrides?: ReadonlyMap<string, string>;
  /** The journal of these subscriptions: a prorate or back-bill ignored at apply is owed (view-ignored.ts). */
  journal?: readonly JournalRow[];
  today: string;
};

function reasonOf(status: JudgementStatus, everSynced: boolean): UnsyncedReason | null {
  if (status === 'synced') return null;
  // "Never synced" only when ConnectWise has no line of it and we never wrote one.
  if (status === 'not_on_agreement') return everSynced ? 'not_on_agreement' : 'never_synced';
  if (status === 'change_not_synced') return 'changed_since_sync';
  return status;
}

export function judgeAudit(input: AuditJudgeInput): Map<string, AuditJudged> {
  const out = new Map<string, AuditJudged>();
  const owed = ignoredOwed(input.journal ?? [], input.additions);
  for (const binding of input.companyBindings) {
    const subscriptions = input.subscriptions.filter((s) => s.companyId === binding.pax8CompanyId);
    if (subscriptions.length === 0) continue;
    const agreements = input.agreements
      .filter((a) => a.company.id === binding.cwCompanyId)
      .sort((a, b) => a.id - b.id);
    const ids = new Set(agreements.map((a) => a.id));
    const { verdicts } = judge({
      today: input.today,
      subscriptions: subscriptions.map((s) => ({
        ...s,
        startDate: s.startDate ?? input.today,
        priceOverride: input.priceOverrides?.get(s.id) ?? null,
      })),
      // The billing cycle too: an annual term on an agreement invoiced yearly is its recurring addition (spec §5).
      agreements: agreements.map((a) => ({
        id: a.id,
        status: a.status,
        nextInvoiceDate: a.nextInvoiceDate,
        billingCycle: a.billingCycle,
      })),
      additions: input.additions.filter((a) => ids.has(a.agreementId)),
      productBindings: input.productBindings,
      lastSyncedAt: input.lastSynced,
    });
    for (const v of verdicts) {
      const money: RowMoney = {
        firstUninvoicedMonth: v.firstUninvoicedMonth,
        months: v.months,
        backBill: v.backBill,
        olderShortfall: v.olderShortfall,
        message: v.message,
        term: v.term,
      };
      // Judged with history, an unwritten prorate is already owed in the figures.
      const pending = v.historyJudged ? null : ignoredOwedMoney({ ...v, money }, owed.get(v.subscriptionId));
      out.set(v.subscriptionId, {
        reason: reasonOf(pending?.status ?? v.status, input.lastSynced.has(v.subscriptionId)),
        agreementId: v.agreementId,
        money: pending?.money ?? money,
      });
    }
  }
  return out;
}

/** How many additions walks run at once: bounded, whatever the number of agreements. */
export const ADDITIONS_CONCURRENCY = 4;

export type BoundReads = {
  /** The active agreements of these ConnectWise companies, in as few pager walks as the id lists allow. */
  activeAgreementsOf(cwCompanyIds: number[]): Promise<SyncAgreement[]>;
  listAdditions(agreementId: number): Promise<SyncAddition[]>;
};

/**
 * The additions of every active agreement of the bound companies: one agreements walk per 100 companies, then
 * one additions walk per agreement, `concurrency` at a time (never one call per subscription).
 */
export async function readBoundAdditions(
  reads: BoundReads,
  cwCompanyIds: readonly number[],
  concurrency = ADDITIONS_CONCURRENCY,
): Promise<{ agreements: SyncAgreement[]; additions: SyncAddition[] }> {
  const ids = [...new Set(cwCompanyIds)];
  const agreements: SyncAgreement[] = [];
  for (let i = 0; i < ids.length; i += 100)
    agreements.push(...(await reads.activeAgreementsOf(ids.slice(i, i + 100))));
  const lists: SyncAddition[][] = new Array(agreements.length);
  let next = 0;
  const worker = async () => {
    while (next < agreements.length) {
      const at = next++;
      const agreement = agreements[at];
      if (agreement) lists[at] = await reads.listAdditions(agreement.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, agreements.length) }, worker));
  return { agreements, additions: lists.flat() };
}
