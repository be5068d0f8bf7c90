// The pod's one-round-trip views: an agreement (or a company's agreements) with every Pax8 subscription of
// the bound company judged against the additions (view-rows.ts, the one judgement of spec §8). A constant number
// of upstream calls, never one per row, but for one history read per term billed up front (upfrontHistories).
import { AppError } from '../errors.ts';
import type { GhostReason } from '../judgement/index.ts';
import { rankCandidates } from './candidates.ts';
import type {
  SyncAddition,
  SyncAgreement,
  SyncHistoryPoint,
  SyncStore,
  SyncSubscription,
  SyncUsageMonth,
} from './ports.ts';
import { isUsageSubscription, judgeUsage, readClosedUsage, usageRow } from './usage.ts';
import { upfrontHistories } from './view-histories.ts';
import {
  bindingChangeOf,
  foreignMarkerNote,
  judgeView,
  type RowAction,
  type RowMoney,
  type RowStatus,
  writtenAdditionOf,
} from './view-rows.ts';

/** What the views read upstream, beyond SyncUpstream: the Pax8 company directory. */
export type ViewUpstream = {
  getAgreement(id: number): Promise<SyncAgreement | null>;
  companyAgreements(cwCompanyId: number): Promise<SyncAgreement[]>;
  /** `judgedOnly`: ask ConnectWise only for the fields the judgement reads (the board's many walks). */
  listAdditions(agreementId: number, o?: { judgedOnly?: boolean }): Promise<SyncAddition[]>;
  companySubscriptions(pax8CompanyId: string): Promise<SyncSubscription[]>;
  getCwCompany(id: number): Promise<{ id: number; name: string } | null>;
  pax8Companies(): Promise<{ id: string; name: string }[]>;
  getPax8Company(id: string): Promise<{ id: string; name: string } | null>;
  closedUsage?(since: string): Promise<SyncUsageMonth[]>;
  openUsage?(subscriptionId: string, today: string): Promise<SyncUsageMonth | null>;
  subscriptionHistory?(id: string): Promise<SyncHistoryPoint[]>;
};

export type ViewContext = {
  store: Pick<
    SyncStore,
    | 'companyBindingByCw'
    | 'boundPax8CompanyIds'
    | 'productBindings'
    | 'journalForSubscriptions'
    | 'priceOverrides'
    | 'waivedChangeKeys'
  >;
  upstream: ViewUpstream;
  now: () => Date;
};

export type ViewRow = {
  subscription: Pick<
    SyncSubscription,
    | 'id'
    | 'productId'
    | 'productName'
    | 'quantity'
    | 'price'
    | 'partnerCost'
    | 'billingTerm'
    | 'status'
    | 'startDate'
  >;
  productBinding: { catalogId: number; identifier: string } | null;
  agreementId: number | null;
  addition: Pick<
    SyncAddition,
    'id' | 'quantity' | 'unitPrice' | 'unitCost' | 'effectiveDate' | 'cancelledDate' | 'invoiceDescription'
  > | null;
  status: RowStatus;
  action: RowAction;
  unsyncedChanges: number;
  /** The additions the fix is about: the duplicate or other agreement's line to cancel, the line to adopt. */
  fixAdditionIds: number[];
  /** How the recurring line was found: our marker, the catalog product (written by hand), or none. */
  matchedBy: 'marker' | 'product' | null;
  /** The journal has a write of ours for it still pending, sent, or of unknown outcome. */
  writeInFlight: boolean;
  /** The product binding changed since the addition was written (bindingChangeOf); absent when not. */
  bindingChanged?: string;
  /** What ConnectWise will bill against what it should, per month from the first un-invoiced one, and in words. */
  money: RowMoney;
};

const withBindingChange = (note: string | null) => (note === null ? {} : { bindingChanged: note });
const withNote = (note: string | null) => (note === null ? {} : { note });

const additionView = (a: SyncAddition): NonNullable<ViewRow['addition']> => ({
  id: a.id,
  quantity: a.quantity,
  unitPrice: a.unitPrice,
  unitCost: a.unitCost,
  effectiveDate: a.effectiveDate,
  cancelledDate: a.cancelledDate,
  invoiceDescription: a.invoiceDescription,
});

/** An addition billing for a bound Pax8 product with no live subscription behind it (see findGhosts). */
export type ViewGhost = {
  agreementId: number;
  addition: Pick<
    SyncAddition,
    | 'id'
    | 'catalogId'
    | 'quantity'
    | 'unitPrice'
    | 'unitCost'
    | 'effectiveDate'
    | 'cancelledDate'
    | 'invoiceDescription'
  > & { identifier?: string };
  productName?: string;
  reason: GhostReason;
  /** Its marker names a subscription the bound Pax8 company does not have (foreignMarkerNote). */
  note?: string;
};

export type ViewWarning = { code: string; message: string };
export type Candidate = { pax8CompanyId: string; name: string; score: number };
export type Binding = { pax8CompanyId: string; name: string } | null;

export type AgreementView = {
  agreement: SyncAgreement;
  binding: Binding;
  candidates: Candidate[];
  rows: ViewRow[];
  ghosts: ViewGhost[];
  warnings: ViewWarning[];
};

export type CompanyView = {
  company: { id: number; name: string };
  binding: Binding;
  candidates: Candidate[];
  agreements: SyncAgreement[];
  rows: ViewRow[];
  /** Each names its agreement. */
  ghosts: ViewGhost[];
  warnings: ViewWarning[];
};

export async function agreementView(ctx: ViewContext, agreementId: number): Promise<AgreementView> {
  const agreement = await ctx.upstream.getAgreement(agreementId);
  if (!agreement) throw new AppError('not_found', `Agreement ${agreementId} was not found in ConnectWise`);
  // The company's other active agreements are judged too (context first), so a subscription billed here and
  // on another agreement reads `double_billed` here as in the company view (spec §7, §8), and one billed only
  // elsewhere names that agreement (row.agreementId) instead of inviting a second line. Their ghosts stay out.
  const others = (await ctx.upstream.companyAgreements(agreement.company.id)).filter(
    (a) => a.id !== agreement.id && a.status === 'Active',
  );
  const part = await companyPart(ctx, agreement.company, [agreement, ...others]);
  const warnings = [...part.warnings];
  if (agreement.status !== 'Active') {
    warnings.unshift({
      code: 'agreement_not_active',
      message: `Agreement "${agreement.name}" is ${agreement.status}.`,
    });
  }
  return {
    agreement,
    binding: part.binding,
    candidates: part.candidates,
    rows: part.rows,
    ghosts: part.ghosts.filter((g) => g.agreementId === agreement.id),
    warnings,
  };
}

export async function companyView(ctx: ViewContext, cwCompanyId: number): Promise<CompanyView> {
  const [company, agreements] = await Promise.all([
    ctx.upstream.getCwCompany(cwCompanyId),
    ctx.upstream.companyAgreements(cwCompanyId),
  ]);
  if (!company) throw new AppError('not_found', `Company ${cwCompanyId} was not found in ConnectWise`);
  const active = agreements.filter((a) => a.status === 'Active');
  const part = await companyPart(ctx, company, active);
  return { company, agreements: active, ...part };
}

async function companyPart(
  ctx: ViewContext,
  company: { id: number; name: string },
  agreements: SyncAgreement[],
): Promise<{
  binding: Binding;
  candidates: Candidate[];
  rows: ViewRow[];
  ghosts: ViewGhost[];
  warnings: ViewWarning[];
}> {
  const bound = await ctx.store.companyBindingByCw(company.id);
  if (!bound) {
    const [companies, taken] = await Promise.all([
      ctx.upstream.pax8Companies(),
      ctx.store.boundPax8CompanyIds(),
    ]);
    const free = new Set(taken);
    const candidates = rankCandidates(
      company.name,
      companies.filter((c) => !free.has(c.id)),
    );
    const warnings = [
      { code: 'company_not_bound', message: `${company.name} is not bound to a Pax8 company yet.` },
    ];
    return { binding: null, candidates, rows: [], ghosts: [], warnings };
  }
  const [pax8Company, subscriptions, productBindings, additionLists, priceOverrides] = await Promise.all([
    ctx.upstream.getPax8Company(bound.pax8CompanyId),
    ctx.upstream.companySubscriptions(bound.pax8CompanyId),
    ctx.store.productBindings(),
    Promise.all(agreements.map((a) => ctx.upstream.listAdditions(a.id))),
    ctx.store.priceOverrides?.() ?? new Map<string, string>(),
  ]);
  const [journal, histories] = await Promise.all([
    ctx.store.journalForSubscriptions(subscriptions.map((s) => s.id)),
    upfrontHistories(ctx, subscriptions),
  ]);
  const today = ctx.now().toISOString().slice(0, 10);
  // From the pages already read above: the judgement and the ghosts cost no upstream call.
  const judged = judgeView({
    subscriptions: subscriptions.map((s) => ({ ...s, ...histories.get(s.id) })),
    agreements,
    additions: additionLists.flat(),
    productBindings,
    journal,
    priceOverrides,
    today,
  });
  // Usage products are judged per closed month from Pax8's invoices (spec §5): read only when the view has one.
  const usageRows = judged.rows.filter((r) => r.binding && isUsageSubscription(r.subscription, r.binding));
  const closedUsage = await readClosedUsage(ctx.upstream, usageRows.length > 0, today);
  const additions = additionLists.flat();
  const rows = judged.rows
    .map((r) =>
      usageRows.includes(r)
        ? {
            ...r,
            ...usageRow(
              judgeUsage({
                subscriptionId: r.subscription.id,
                startDate: r.subscription.startDate,
                today,
                closed: closedUsage,
                additions,
                journal,
                markupPercent: r.binding?.markupPercent,
                firstUninvoicedMonth: r.money.firstUninvoicedMonth,
              }),
              r.money,
            ),
          }
        : r,
    )
    .map(
      (r): ViewRow => ({
        subscription: {
          id: r.subscription.id,
          productId: r.subscription.productId,
          productName: r.subscription.productName,
          quantity: r.subscription.quantity,
          price: r.subscription.price,
          partnerCost: r.subscription.partnerCost,
          billingTerm: r.subscription.billingTerm,
          status: r.subscription.status,
          startDate: r.subscription.startDate,
        },
        productBinding: r.binding
          ? { catalogId: r.binding.cwCatalogId, identifier: r.binding.cwIdentifier }
          : null,
        agreementId: r.agreementId,
        addition: r.addition ? additionView(r.addition) : null,
        status: r.status,
        action: r.action,
        unsyncedChanges: r.unsyncedChanges,
        fixAdditionIds: r.fixAdditionIds,
        matchedBy: r.matchedBy,
        writeInFlight: r.writeInFlight,
        money: r.money,
        ...withBindingChange(bindingChangeOf(writtenAdditionOf(r, additions), r.binding)),
      }),
    );
  const identifierOf = new Map(productBindings.map((b) => [b.cwCatalogId, b.cwIdentifier]));
  const subscriptionIds = new Set(subscriptions.map((s) => s.id));
  const pax8Name = pax8Company?.name ?? 'the bound Pax8 company';
  const ghosts = judged.ghosts.map(({ addition: a, reason, productName }): ViewGhost => {
    const identifier = identifierOf.get(a.catalogId);
    return {
      agreementId: a.agreementId,
      addition: {
        ...additionView(a),
        catalogId: a.catalogId,
        ...(identifier !== undefined ? { identifier } : {}),
      },
      ...(productName !== null ? { productName } : {}),
      reason,
      ...withNote(foreignMarkerNote(a.marker, subscriptionIds, pax8Name)),
    };
  });
  const warnings: ViewWarning[] = [];
  if (!pax8Company) {
    warnings.push({ code: 'pax8_company_missing', message: 'The bound Pax8 company no longer exists.' });
  }
  return {
    binding: { pax8CompanyId: bound.pax8CompanyId, name: pax8Company?.name ?? bound.pax8CompanyId },
    candidates: [],
    rows,
    ghosts,
    warnings,
  };
}
