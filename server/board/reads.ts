// What the board reads, in pages (never one call per subscription): Pax8's subscriptions and companies (one walk
// each, or one walk per touched company), the bound companies' agreements and additions (readBoundAdditions, as
// the audit), this month's invoices' items and the draft items of this month and the next; the store's
// bindings, journal, ignore list and remembered prices. Then the audit's judgement and the board's rows.
import { firstOfMonth, monthOf } from '../billing/dates.ts';
import { cond } from '../connectwise/index.ts';
import { toAgreement } from '../connectwise/sync-adapter.ts';
import { toSubscription } from '../pax8/sync-adapter.ts';
import type { SyncSubscription } from '../sync/ports.ts';
import { lastSyncedOf } from '../sync/unsynced.ts';
import { judgeAudit, readBoundAdditions } from '../sync/unsynced-judge.ts';
import type { SyncContext } from '../sync-context.ts';
import { boardRows } from './compute.ts';
import { type CostIndex, type CostItem, costSums, mergeCosts } from './cost.ts';
import type { BoardRow } from './types.ts';

/** How many Pax8 walks (a touched company's subscriptions, an invoice's items) run at once. */
const PAX8_CONCURRENCY = 4;
/**
 * ConnectWise reads of one board computation at once (agreements pages and additions walks, across the chunks in
 * flight): ConnectWise answers 429 beyond about 10 concurrent requests per API member, so 8 leaves room for the
 * pods and the audit while 4,000 agreements take 4,000 × 50 ms / 8 = 25 s.
 */
export const BOARD_ADDITIONS_CONCURRENCY = 8;
/** Bound companies read, judged and saved together: one agreements page (100 companies a condition) each. */
export const BOARD_CHUNK = 100;
/** Chunks in flight at once; their ConnectWise reads share BOARD_ADDITIONS_CONCURRENCY. */
const CHUNKS_IN_FLIGHT = 3;

/** Runs fn over items, `limit` at once, in order of start; stops starting new ones after a failure. */
async function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const at = next++;
      try {
        out[at] = await fn(items[at] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** At most `n` calls of the returned runner at once (the others wait their turn, first come first served). */
function slots(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** What the cost index needs of an invoice or draft item (the rest of Pax8's item is dropped as it is paged). */
const costItem = (i: CostItem): CostItem => ({
  subscriptionId: i.subscriptionId,
  type: i.type,
  startPeriod: i.startPeriod,
  quantity: i.quantity,
  costTotal: i.costTotal,
  cost: i.cost,
});

/**
 * Pax8's cost of this month and the next: this month's invoices' items, then the drafts of both months, each item
 * added to its subscription's month as its page arrives (the walks keep a 0 per item, not the item).
 */
export async function readCosts(ctx: SyncContext, today: string): Promise<CostIndex> {
  const invoices = await ctx.pax8.invoices.all({ invoiceDateRangeStart: firstOfMonth(monthOf(today)) });
  const invoiced = costSums('invoice');
  const drafts = costSums('draft');
  const sum = (item: CostItem) => {
    drafts.add(item);
    return 0;
  };
  await Promise.all([
    eachLimited(invoices, PAX8_CONCURRENCY, async (i) => {
      for (const item of await ctx.pax8.invoices.items(i.id)) invoiced.add(item);
    }),
    ctx.pax8.invoices.draftItemsAs(sum, 0),
    ctx.pax8.invoices.draftItemsAs(sum, 1),
  ]);
  return mergeCosts(invoiced.sums, drafts.sums);
}

/** The draft items of this month and the next for some Pax8 companies (two walks per company). */
export async function readDraftItems(ctx: SyncContext, pax8CompanyIds: readonly string[]) {
  const lists = await eachLimited(
    pax8CompanyIds.flatMap((id) => [0, 1].map((offset) => ({ id, offset: offset as 0 | 1 }))),
    PAX8_CONCURRENCY,
    ({ id, offset }) => ctx.pax8.invoices.draftItemsAs(costItem, offset, id),
  );
  return lists.flat();
}

export type CompanyRows = Map<string, { subscriptions: number; rows: BoardRow[] }>;

export type BoardRead = {
  /** Rows per bound Pax8 company read (every bound company on a full read, with an empty list when none). */
  byCompany: CompanyRows;
  /** Pax8's costs the rows were priced with. */
  costs: CostIndex;
  /** Subscriptions and companies read from Pax8 (full read only). */
  subscriptions: number;
  companies: number;
  names: Map<string, string>;
};

/** Pax8's side of a reading: the bound companies' subscriptions grouped by company, and what was checked. */
type Pax8Side = {
  subscriptionsOf: Map<string, SyncSubscription[]>;
  subscriptions: number;
  companies: number;
  names: Map<string, string>;
};

/**
 * Reads and judges the board: every subscription (scope 'all'), or only the given Pax8 companies' (a refresh).
 * Pax8's subscriptions are paged (kept lean as each page arrives) while ConnectWise is read per chunk of bound
 * companies: its agreements page, their additions walks, the chunk's journal, then the audit's judgement (spec §8)
 * and the board's rows; `onChunk` gets each chunk's rows (saved there) and its raw reads are dropped. Several
 * chunks are in flight, their ConnectWise reads within BOARD_ADDITIONS_CONCURRENCY. `costs` may still be read, or
 * be read once Pax8's subscriptions are in (a function).
 */
export async function readBoard(
  ctx: SyncContext,
  opts: {
    now: Date;
    scope: 'all' | readonly string[];
    /** A function is called once Pax8's subscriptions are in, so both walks' pages are never in memory at once. */
    costs: CostIndex | Promise<CostIndex> | (() => Promise<CostIndex>);
    names: ReadonlyMap<string, string>;
    onChunk?: (rows: CompanyRows) => Promise<void>;
  },
): Promise<BoardRead> {
  const tenantId = ctx.tenant.id;
  const today = opts.now.toISOString().slice(0, 10);
  const [companyBindings, productBindings, ignoredList, priceOverrides] = await Promise.all([
    ctx.repos.companyBindings.list(tenantId),
    ctx.repos.productBindings.list(tenantId),
    ctx.repos.ignored.list(tenantId),
    ctx.repos.priceOverrides.forTenant(tenantId),
  ]);
  const ignored = new Set(ignoredList.map((i) => i.subscriptionId));
  const boundPax8 = new Set(companyBindings.map((b) => b.pax8CompanyId));
  const scope = opts.scope === 'all' ? null : opts.scope.filter((id) => boundPax8.has(id));
  const bindings = companyBindings.filter((b) => scope === null || scope.includes(b.pax8CompanyId));
  const pax8 = readPax8Side(ctx, scope, boundPax8, opts.names);
  const read = opts.costs;
  const costs = typeof read === 'function' ? pax8.then(() => read()) : Promise.resolve(read);
  // Awaited by every chunk; a failure here must not go unhandled while ConnectWise is still read.
  for (const p of [costs, pax8]) p.catch(() => {});

  const byCompany: CompanyRows = new Map();
  for (const b of bindings) byCompany.set(b.pax8CompanyId, { subscriptions: 0, rows: [] });
  const cw = slots(BOARD_ADDITIONS_CONCURRENCY);
  const chunks: (typeof bindings)[] = [];
  for (let i = 0; i < bindings.length; i += BOARD_CHUNK) chunks.push(bindings.slice(i, i + BOARD_CHUNK));
  await eachLimited(chunks, CHUNKS_IN_FLIGHT, async (chunk) => {
    const bound = await readBoundAdditions(
      {
        activeAgreementsOf: (ids) =>
          cw(async () =>
            (
              await ctx.cw.agreements.all({
                conditions: cond.and(cond.in('company/id', ids), cond.eq('agreementStatus', 'Active')),
                orderBy: 'id asc',
              })
            ).map(toAgreement),
          ),
        listAdditions: (id) => cw(() => ctx.upstream.listAdditions(id, { judgedOnly: true })),
      },
      chunk.map((b) => b.cwCompanyId),
      BOARD_ADDITIONS_CONCURRENCY,
    );
    const side = await pax8;
    const subscriptions = chunk.flatMap((b) => side.subscriptionsOf.get(b.pax8CompanyId) ?? []);
    const journal = await ctx.repos.journal.forSubscriptions(
      tenantId,
      subscriptions.map((s) => s.id),
    );
    const judged = judgeAudit({
      subscriptions,
      companyBindings: chunk,
      productBindings,
      agreements: bound.agreements,
      additions: bound.additions,
      lastSynced: lastSyncedOf(journal),
      journal: [...journal.values()].flat(),
      priceOverrides,
      today,
    });
    const rows = boardRows({
      subscriptions,
      pax8Companies: chunk.flatMap((b) => {
        const name = side.names.get(b.pax8CompanyId);
        return name === undefined ? [] : [{ id: b.pax8CompanyId, name }];
      }),
      companyBindings: chunk,
      productBindings,
      journal,
      ignored,
      judged,
      priceOverrides,
      costs: await costs,
      marginFloorPercent: ctx.tenant.settings.marginFloorPercent ?? null,
      now: opts.now,
    });
    const done: CompanyRows = new Map();
    for (const b of chunk) {
      const entry = {
        subscriptions: side.subscriptionsOf.get(b.pax8CompanyId)?.length ?? 0,
        rows: [] as BoardRow[],
      };
      done.set(b.pax8CompanyId, entry);
      byCompany.set(b.pax8CompanyId, entry);
      // Judged: the chunk's subscriptions are let go (a Pax8 company is bound once, so no other chunk needs them).
      side.subscriptionsOf.delete(b.pax8CompanyId);
    }
    for (const row of rows) done.get(row.pax8CompanyId)?.rows.push(row);
    await opts.onChunk?.(done);
    // The board's requests are answered between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  });
  const side = await pax8;
  return {
    byCompany,
    costs: await costs,
    subscriptions: side.subscriptions,
    companies: side.companies,
    names: side.names,
  };
}

/**
 * A subscription kept lean with its repeated strings shared: 40,000 subscriptions (and the rows that take these
 * strings from them) name a few hundred companies, products, terms, statuses and days, each parsed afresh per page.
 */
function leanSubscription(): (s: Parameters<typeof toSubscription>[0]) => SyncSubscription {
  const strings = new Map<string, string>();
  const one = <S extends string | null>(value: S): S => {
    if (value === null) return value;
    const kept = strings.get(value);
    if (kept !== undefined) return kept as S;
    strings.set(value, value);
    return value;
  };
  return (raw) => {
    const s = toSubscription(raw);
    s.companyId = one(s.companyId);
    s.productId = one(s.productId);
    s.productName = one(s.productName);
    s.billingTerm = one(s.billingTerm);
    s.status = one(s.status);
    s.startDate = one(s.startDate);
    s.endDate = one(s.endDate);
    if (s.commitment) s.commitment = { term: one(s.commitment.term), endDate: one(s.commitment.endDate) };
    return s;
  };
}

/** Pax8's subscriptions (all, or the scope's companies'), each page kept lean as it arrives, and the names. */
async function readPax8Side(
  ctx: SyncContext,
  scope: readonly string[] | null,
  boundPax8: ReadonlySet<string>,
  known: ReadonlyMap<string, string>,
): Promise<Pax8Side> {
  const lean = leanSubscription();
  const [subscriptions, pax8Companies] = await Promise.all([
    scope === null
      ? ctx.pax8.subscriptions.allAs(lean)
      : eachLimited(scope, PAX8_CONCURRENCY, (companyId) =>
          ctx.pax8.subscriptions.allAs(lean, { companyId }),
        ).then((lists) => lists.flat()),
    scope === null ? ctx.pax8.companies.all() : Promise.resolve(null),
  ]);
  const names = new Map(known);
  for (const c of pax8Companies ?? []) names.set(c.id, c.name);
  // A company bound since the last full read: its name, one call each.
  for (const id of scope ?? []) if (!names.has(id)) names.set(id, (await ctx.pax8.companies.get(id)).name);
  const subscriptionsOf = new Map<string, SyncSubscription[]>();
  const companies = new Set<string>();
  for (const s of subscriptions) {
    companies.add(s.companyId);
    if (!boundPax8.has(s.companyId)) continue;
    const list = subscriptionsOf.get(s.companyId);
    if (list) list.push(s);
    else subscriptionsOf.set(s.companyId, [s]);
  }
  return {
    subscriptionsOf,
    subscriptions: subscriptions.length,
    companies: scope === null ? companies.size : 0,
    names,
  };
}
