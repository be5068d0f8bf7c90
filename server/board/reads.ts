// What the board reads, in pages (never one call per subscription): Pax8's subscriptions and companies (one walk
// each, or one walk per touched company), the bound companies' agreements and additions (readBoundAdditions, as
// the audit), this month's invoices' items and the draft items of this month and the next; the store's
// bindings, journal, ignore list and remembered prices. Then the audit's judgement and the board's rows.
import { firstOfMonth, monthOf } from '../billing/dates.ts';
import { cond } from '../connectwise/index.ts';
import { toAgreement } from '../connectwise/sync-adapter.ts';
import { toSubscription } from '../pax8/sync-adapter.ts';
import type { JournalRow, SyncAddition, SyncAgreement, SyncSubscription } from '../sync/ports.ts';
import { lastSyncedOf } from '../sync/unsynced.ts';
import { type AuditJudged, judgeAudit, readBoundAdditions } from '../sync/unsynced-judge.ts';
import type { SyncContext } from '../sync-context.ts';
import { boardRows } from './compute.ts';
import { type CostIndex, indexCosts } from './cost.ts';
import type { BoardRow } from './types.ts';

/** How many Pax8 walks (a touched company's subscriptions, an invoice's items) run at once. */
const PAX8_CONCURRENCY = 4;
/**
 * Additions walks at once: ConnectWise answers 429 beyond about 10 concurrent requests per API member, so 8
 * leaves room for the pods and the audit while 4,000 agreements take 4,000 × 50 ms / 8 = 25 s.
 */
export const BOARD_ADDITIONS_CONCURRENCY = 8;

async function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      out[at] = await fn(items[at] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Pax8's cost of this month and the next: this month's invoices' items, then the drafts of both months. */
export async function readCosts(ctx: SyncContext, today: string): Promise<CostIndex> {
  const invoices = await ctx.pax8.invoices.all({ invoiceDateRangeStart: firstOfMonth(monthOf(today)) });
  const [items, current, next] = await Promise.all([
    eachLimited(invoices, PAX8_CONCURRENCY, (i) => ctx.pax8.invoices.items(i.id)),
    ctx.pax8.invoices.draftItems(0),
    ctx.pax8.invoices.draftItems(1),
  ]);
  return indexCosts(items.flat(), [...current, ...next]);
}

/** The draft items of this month and the next for some Pax8 companies (two walks per company). */
export async function readDraftItems(ctx: SyncContext, pax8CompanyIds: readonly string[]) {
  const lists = await eachLimited(
    pax8CompanyIds.flatMap((id) => [0, 1].map((offset) => ({ id, offset: offset as 0 | 1 }))),
    PAX8_CONCURRENCY,
    ({ id, offset }) => ctx.pax8.invoices.draftItems(offset, id),
  );
  return lists.flat();
}

/** Bound companies judged per turn of the event loop: the board's requests are answered between turns. */
const JUDGE_CHUNK = 50;

/**
 * The audit's judgement (judgeAudit) over each chunk of bound companies with only their own subscriptions,
 * agreements, additions and journal: the same verdicts as one call, without its scan of every subscription and
 * addition per company (2,000 × 60,000), and yielding between chunks so a full recompute never blocks a request.
 */
async function judgeInChunks(input: {
  subscriptions: readonly SyncSubscription[];
  bindings: readonly { cwCompanyId: number; pax8CompanyId: string }[];
  productBindings: Parameters<typeof judgeAudit>[0]['productBindings'];
  agreements: readonly SyncAgreement[];
  additions: readonly SyncAddition[];
  journal: ReadonlyMap<string, readonly JournalRow[]>;
  priceOverrides: ReadonlyMap<string, string>;
  today: string;
}): Promise<Map<string, AuditJudged>> {
  const group = <T, K>(items: readonly T[], key: (t: T) => K) => {
    const out = new Map<K, T[]>();
    for (const item of items) {
      const k = key(item);
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
  const subsOf = group(input.subscriptions, (s) => s.companyId);
  const agreementsOf = group(input.agreements, (a) => a.company.id);
  const additionsOf = group(input.additions, (a) => a.agreementId);
  const out = new Map<string, AuditJudged>();
  for (let i = 0; i < input.bindings.length; i += JUDGE_CHUNK) {
    const chunk = input.bindings.slice(i, i + JUDGE_CHUNK);
    const subscriptions = chunk.flatMap((b) => subsOf.get(b.pax8CompanyId) ?? []);
    const agreements = chunk.flatMap((b) => agreementsOf.get(b.cwCompanyId) ?? []);
    const journal = new Map(subscriptions.map((s) => [s.id, input.journal.get(s.id) ?? []]));
    const judged = judgeAudit({
      subscriptions,
      companyBindings: chunk,
      productBindings: input.productBindings,
      agreements,
      additions: agreements.flatMap((a) => additionsOf.get(a.id) ?? []),
      lastSynced: lastSyncedOf(journal),
      journal: [...journal.values()].flat(),
      priceOverrides: input.priceOverrides,
      today: input.today,
    });
    for (const [id, verdict] of judged) out.set(id, verdict);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

export type CompanyRows = Map<string, { subscriptions: number; rows: BoardRow[] }>;

export type BoardRead = {
  /** Rows per bound Pax8 company read (every bound company on a full read, with an empty list when none). */
  byCompany: CompanyRows;
  /** Subscriptions and companies read from Pax8 (full read only). */
  subscriptions: number;
  companies: number;
  names: Map<string, string>;
};

/**
 * Reads and judges the board: every subscription (scope 'all'), or only the given Pax8 companies' (a refresh).
 * Costs and company names come in when the caller kept them from an earlier read.
 */
export async function readBoard(
  ctx: SyncContext,
  opts: {
    now: Date;
    scope: 'all' | readonly string[];
    costs: CostIndex;
    names: ReadonlyMap<string, string>;
  },
): Promise<BoardRead> {
  const tenantId = ctx.tenant.id;
  const today = opts.now.toISOString().slice(0, 10);
  const [companyBindings, productBindings, ignored, priceOverrides] = await Promise.all([
    ctx.repos.companyBindings.list(tenantId),
    ctx.repos.productBindings.list(tenantId),
    ctx.repos.ignored.list(tenantId),
    ctx.repos.priceOverrides.forTenant(tenantId),
  ]);
  const boundPax8 = new Set(companyBindings.map((b) => b.pax8CompanyId));
  const scope = opts.scope === 'all' ? null : opts.scope.filter((id) => boundPax8.has(id));
  const [pax8Subscriptions, pax8Companies] = await Promise.all([
    scope === null
      ? ctx.pax8.subscriptions.all()
      : eachLimited(scope, PAX8_CONCURRENCY, (companyId) => ctx.pax8.subscriptions.all({ companyId })).then(
          (lists) => lists.flat(),
        ),
    scope === null ? ctx.pax8.companies.all() : Promise.resolve(null),
  ]);
  const names = new Map(opts.names);
  for (const c of pax8Companies ?? []) names.set(c.id, c.name);
  // A company bound since the last full read: its name, one call each.
  for (const id of scope ?? []) if (!names.has(id)) names.set(id, (await ctx.pax8.companies.get(id)).name);
  const subscriptions = pax8Subscriptions.map(toSubscription);
  const onBoard = subscriptions.filter((s) => boundPax8.has(s.companyId));
  const bindings = companyBindings.filter((b) => scope === null || scope.includes(b.pax8CompanyId));
  const journal = await ctx.repos.journal.forSubscriptions(
    tenantId,
    onBoard.map((s) => s.id),
  );
  const bound = await readBoundAdditions(
    {
      activeAgreementsOf: async (ids) =>
        (
          await ctx.cw.agreements.all({
            conditions: cond.and(cond.in('company/id', ids), cond.eq('agreementStatus', 'Active')),
            orderBy: 'id asc',
          })
        ).map(toAgreement),
      listAdditions: (id) => ctx.upstream.listAdditions(id),
    },
    bindings.map((b) => b.cwCompanyId),
    BOARD_ADDITIONS_CONCURRENCY,
  );
  const judged = await judgeInChunks({
    subscriptions: onBoard,
    bindings,
    productBindings,
    agreements: bound.agreements,
    additions: bound.additions,
    journal,
    priceOverrides,
    today,
  });
  const rows = boardRows({
    subscriptions: onBoard,
    pax8Companies: [...names].map(([id, name]) => ({ id, name })),
    companyBindings: bindings,
    productBindings,
    journal,
    ignored: new Set(ignored.map((i) => i.subscriptionId)),
    judged,
    priceOverrides,
    costs: opts.costs,
    marginFloorPercent: ctx.tenant.settings.marginFloorPercent ?? null,
    now: opts.now,
  });
  const byCompany: CompanyRows = new Map();
  for (const b of bindings) byCompany.set(b.pax8CompanyId, { subscriptions: 0, rows: [] });
  for (const s of onBoard) {
    const entry = byCompany.get(s.companyId);
    if (entry) entry.subscriptions++;
  }
  for (const row of rows) byCompany.get(row.pax8CompanyId)?.rows.push(row);
  return {
    byCompany,
    subscriptions: subscriptions.length,
    companies: scope === null ? new Set(subscriptions.map((s) => s.companyId)).size : 0,
    names,
  };
}
