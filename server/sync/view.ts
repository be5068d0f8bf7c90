// The pod's one-round-trip views: an agreement (or a company's agreements) with every Pax8 subscription of
// the bound company classified against the additions. A constant number of upstream calls, never one per row.
import { AppError } from '../errors.ts';
import { rankCandidates } from './candidates.ts';
import type { ProductBinding, SyncAddition, SyncAgreement, SyncStore, SyncSubscription } from './ports.ts';
import type { GhostReason, RowAction, RowStatus } from './status.ts';
import { classifyRow, currentAddition, findGhosts } from './status.ts';

/** What the views read upstream, beyond SyncUpstream: the Pax8 company directory. */
export type ViewUpstream = {
  getAgreement(id: number): Promise<SyncAgreement | null>;
  companyAgreements(cwCompanyId: number): Promise<SyncAgreement[]>;
  listAdditions(agreementId: number): Promise<SyncAddition[]>;
  companySubscriptions(pax8CompanyId: string): Promise<SyncSubscription[]>;
  getCwCompany(id: number): Promise<{ id: number; name: string } | null>;
  pax8Companies(): Promise<{ id: string; name: string }[]>;
  getPax8Company(id: string): Promise<{ id: string; name: string } | null>;
};

export type ViewContext = {
  store: Pick<
    SyncStore,
    'companyBindingByCw' | 'boundPax8CompanyIds' | 'productBindings' | 'journalForSubscriptions'
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
};

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
  const part = await companyPart(ctx, agreement.company, [agreement]);
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
    ghosts: part.ghosts,
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
  const [pax8Company, subscriptions, productBindings, additionLists] = await Promise.all([
    ctx.upstream.getPax8Company(bound.pax8CompanyId),
    ctx.upstream.companySubscriptions(bound.pax8CompanyId),
    ctx.store.productBindings(),
    Promise.all(agreements.map((a) => ctx.upstream.listAdditions(a.id))),
  ]);
  const journal = await ctx.store.journalForSubscriptions(subscriptions.map((s) => s.id));
  const lastSynced = new Map<string, string>();
  for (const row of journal) {
    if (row.state !== 'done') continue;
    const was = lastSynced.get(row.subscriptionId);
    if (was === undefined || row.updatedAt > was) lastSynced.set(row.subscriptionId, row.updatedAt);
  }
  const bindingOf = new Map<string, ProductBinding>(
    productBindings.map((b) => [`${b.pax8ProductId}|${b.billingTerm}`, b]),
  );
  const additions = additionLists.flat();
  const today = ctx.now().toISOString().slice(0, 10);
  const rows = subscriptions.map((sub): ViewRow => {
    const binding = bindingOf.get(`${sub.productId}|${sub.billingTerm}`) ?? null;
    const addition = binding ? currentAddition(additions, binding.cwCatalogId, today) : null;
    const verdict = classifyRow({
      subscription: sub,
      productBinding: binding ? { cwCatalogId: binding.cwCatalogId, price: binding.price } : null,
      addition,
      lastSyncedAt: lastSynced.get(sub.id) ?? null,
    });
    return {
      subscription: {
        id: sub.id,
        productId: sub.productId,
        productName: sub.productName,
        quantity: sub.quantity,
        price: sub.price,
        partnerCost: sub.partnerCost,
        billingTerm: sub.billingTerm,
        status: sub.status,
        startDate: sub.startDate,
      },
      productBinding: binding ? { catalogId: binding.cwCatalogId, identifier: binding.cwIdentifier } : null,
      agreementId: addition ? addition.agreementId : (agreements[0]?.id ?? null),
      addition: addition
        ? {
            id: addition.id,
            quantity: addition.quantity,
            unitPrice: addition.unitPrice,
            unitCost: addition.unitCost,
            effectiveDate: addition.effectiveDate,
            cancelledDate: addition.cancelledDate,
            invoiceDescription: addition.invoiceDescription,
          }
        : null,
      ...verdict,
    };
  });
  // From the pages already read above: ghosts cost no upstream call.
  const identifierOf = new Map(productBindings.map((b) => [b.cwCatalogId, b.cwIdentifier]));
  const ghosts = findGhosts({ additions, subscriptions, productBindings, today }).map(
    ({ addition: a, reason, productName }): ViewGhost => {
      const identifier = identifierOf.get(a.catalogId);
      return {
        agreementId: a.agreementId,
        addition: {
          id: a.id,
          catalogId: a.catalogId,
          ...(identifier !== undefined ? { identifier } : {}),
          quantity: a.quantity,
          unitPrice: a.unitPrice,
          unitCost: a.unitCost,
          effectiveDate: a.effectiveDate,
          cancelledDate: a.cancelledDate,
          invoiceDescription: a.invoiceDescription,
        },
        ...(productName !== null ? { productName } : {}),
        reason,
      };
    },
  );
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
