// The board kept per tenant: computed in the background and never awaited by a request (the previous board is
// served meanwhile, marked "recomputing"), refreshed one bound Pax8 company at a time when a sync, an ignore,
// a binding or Pax8 touches it, and saved in the store so a restarted process or the other processes of a
// cluster serve it at once. Kept in memory too: 40,000 rows are parsed once, not on every page.
import { isAppError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { BoardStore } from '../store/index.ts';
import type { SyncContext } from '../sync-context.ts';
import { flagFloor } from './compute.ts';
import { type CostIndex, replaceDrafts } from './cost.ts';
import { readBoard, readCosts, readDraftItems } from './reads.ts';
import type { BoardRow } from './types.ts';

type Kept = {
  computedAt: string;
  refreshedAt: string;
  subscriptions: number;
  companies: number;
  byCompany: Map<string, { subscriptions: number; rows: BoardRow[] }>;
  /** The floor the rows' belowMarginFloor were flagged with. */
  floor: number | null;
  rows: BoardRow[] | null;
};

type TenantBoard = {
  kept: Kept | null;
  full: Promise<void> | null;
  refresh: Promise<void> | null;
  pending: Set<string>;
  costs: CostIndex | null;
  names: Map<string, string>;
  lastError: string | null;
  ctx: SyncContext | null;
};

export type BoardSnapshot = {
  computedAt: string | null;
  refreshedAt: string | null;
  subscriptions: number;
  companies: number;
  rows: readonly BoardRow[];
  recomputing: boolean;
  /** Bound Pax8 companies waiting for (or in) an incremental refresh. */
  refreshing: number;
  lastError: string | null;
  marginFloorPercent: number | null;
};

export type BoardService = ReturnType<typeof createBoardService>;

export function createBoardService(deps: { store: BoardStore; now: () => Date; logger: Logger }) {
  const tenants = new Map<string, TenantBoard>();
  const of = (tenantId: string): TenantBoard => {
    let t = tenants.get(tenantId);
    if (!t) {
      t = {
        kept: null,
        full: null,
        refresh: null,
        pending: new Set(),
        costs: null,
        names: new Map(),
        lastError: null,
        ctx: null,
      };
      tenants.set(tenantId, t);
    }
    return t;
  };

  const failed = (t: TenantBoard, what: string, err: unknown) => {
    t.lastError = `${what} failed: ${isAppError(err) ? err.message : 'an unexpected error (see the server log)'}`;
    deps.logger.error('board computation failed', {
      what,
      error: isAppError(err) ? err.code : String((err as Error)?.stack ?? err),
    });
  };

  function startFull(t: TenantBoard, ctx: SyncContext): void {
    if (t.full) return;
    t.full = (async () => {
      try {
        const now = deps.now();
        const today = now.toISOString().slice(0, 10);
        const at = now.toISOString();
        // Pax8's costs are read after its subscriptions, beside ConnectWise; each chunk's rows are saved as judged.
        const read = await readBoard(ctx, {
          now,
          scope: 'all',
          costs: () => readCosts(ctx, today),
          names: t.names,
          onChunk: (rows) =>
            deps.store.saveCompanies(
              ctx.tenant.id,
              at,
              [...rows].map(([pax8CompanyId, c]) => ({ pax8CompanyId, ...c })),
            ),
        });
        t.costs = read.costs;
        t.names = read.names;
        t.kept = {
          computedAt: at,
          refreshedAt: at,
          subscriptions: read.subscriptions,
          companies: read.companies,
          byCompany: read.byCompany,
          floor: ctx.tenant.settings.marginFloorPercent ?? null,
          rows: null,
        };
        t.lastError = null;
        await deps.store.finishFull(
          ctx.tenant.id,
          {
            computedAt: at,
            refreshedAt: at,
            subscriptions: read.subscriptions,
            companies: read.companies,
          },
          [...read.byCompany.keys()],
        );
      } catch (err) {
        failed(t, 'The last full recompute', err);
      } finally {
        t.full = null;
        if (t.pending.size > 0) startRefresh(t);
      }
    })();
  }

  function startRefresh(t: TenantBoard): void {
    if (t.refresh || t.full || !t.ctx) return;
    const ctx = t.ctx;
    t.refresh = (async () => {
      try {
        while (t.pending.size > 0 && t.kept) {
          const batch = [...t.pending];
          t.pending.clear();
          const now = deps.now();
          // Seats changed since the drafts were read: the touched companies' drafts are read again.
          const costs = t.costs ?? (await readCosts(ctx, now.toISOString().slice(0, 10)));
          const touched = new Set(
            batch.flatMap((id) => (t.kept?.byCompany.get(id)?.rows ?? []).map((r) => r.subscriptionId)),
          );
          t.costs = replaceDrafts(costs, touched, await readDraftItems(ctx, batch));
          const read = await readBoard(ctx, { now, scope: batch, costs: t.costs, names: t.names });
          t.names = read.names;
          const kept = t.kept;
          for (const id of batch) {
            const was = kept.byCompany.get(id);
            const next = read.byCompany.get(id) ?? { subscriptions: was?.subscriptions ?? 0, rows: [] };
            kept.subscriptions += next.subscriptions - (was?.subscriptions ?? 0);
            kept.byCompany.set(id, next);
          }
          kept.refreshedAt = now.toISOString();
          kept.rows = null;
          await save(ctx.tenant.id, kept, batch, false);
        }
      } catch (err) {
        failed(t, 'The last refresh', err);
      } finally {
        t.refresh = null;
        if (t.pending.size > 0 && !t.full) startRefresh(t);
      }
    })();
  }

  async function save(tenantId: string, kept: Kept, ids: readonly string[], replaceAll: boolean) {
    await deps.store.save(tenantId, {
      computedAt: kept.computedAt,
      refreshedAt: kept.refreshedAt,
      subscriptions: kept.subscriptions,
      companies: kept.companies,
      replaceAll,
      byCompany: ids.map((id) => {
        const entry = kept.byCompany.get(id) ?? { subscriptions: 0, rows: [] };
        return { pax8CompanyId: id, subscriptions: entry.subscriptions, rows: entry.rows };
      }),
    });
  }

  /** The kept board of another process (or of before a restart) when it is newer than ours. */
  async function loadIfNewer(t: TenantBoard, tenantId: string): Promise<void> {
    if (t.full || t.refresh) return;
    const at = await deps.store.refreshedAt(tenantId);
    if (at === null || (t.kept && at <= t.kept.refreshedAt)) return;
    const stored = await deps.store.load(tenantId);
    if (!stored) return;
    // Kept before rows said what their money is (charge): computed again, never shown as money a month.
    if (stored.byCompany.some((c) => (c.rows as Partial<BoardRow>[]).some((r) => r.charge === undefined)))
      return;
    t.kept = {
      computedAt: stored.computedAt,
      refreshedAt: stored.refreshedAt,
      subscriptions: stored.subscriptions,
      companies: stored.companies,
      byCompany: new Map(
        stored.byCompany.map((c) => [
          c.pax8CompanyId,
          { subscriptions: c.subscriptions, rows: c.rows as BoardRow[] },
        ]),
      ),
      floor: null,
      rows: null,
    };
    for (const c of stored.byCompany) {
      const first = (c.rows as BoardRow[])[0];
      if (first) t.names.set(c.pax8CompanyId, first.companyName);
    }
  }

  /** The board as kept (starting the first computation when there is none), flagged with today's floor. */
  async function get(ctx: SyncContext): Promise<BoardSnapshot> {
    const t = of(ctx.tenant.id);
    t.ctx = ctx;
    await loadIfNewer(t, ctx.tenant.id);
    if (!t.kept) startFull(t, ctx);
    const floor = ctx.tenant.settings.marginFloorPercent ?? null;
    const kept = t.kept;
    let rows: BoardRow[] = [];
    if (kept) {
      if (kept.rows === null || kept.floor !== floor) {
        // Flagged once per company and shared with the flat list (a changed flag is a copy of its row, kept once).
        for (const c of kept.byCompany.values()) c.rows = c.rows.map((r) => flagFloor(r, floor));
        kept.rows = [...kept.byCompany.values()].flatMap((c) => c.rows);
        kept.floor = floor;
      }
      rows = kept.rows;
    }
    return {
      computedAt: kept?.computedAt ?? null,
      refreshedAt: kept?.refreshedAt ?? null,
      subscriptions: kept?.subscriptions ?? 0,
      companies: kept?.companies ?? 0,
      rows,
      recomputing: t.full !== null,
      refreshing: t.pending.size + (t.refresh ? 1 : 0),
      lastError: t.lastError,
      marginFloorPercent: floor,
    };
  }

  /** A full recompute in the background; the kept board is served until it ends. */
  function recompute(ctx: SyncContext): void {
    const t = of(ctx.tenant.id);
    t.ctx = ctx;
    startFull(t, ctx);
  }

  /**
   * Something changed these subscriptions or Pax8 companies (a sync, a seat change, an ignore, a binding, Pax8's
   * report): their companies are read and judged again in the background. Never throws into the caller.
   */
  async function touch(
    ctx: SyncContext,
    changed: {
      subscriptionIds?: readonly string[] | undefined;
      pax8CompanyIds?: readonly string[] | undefined;
      pax8ProductIds?: readonly string[] | undefined;
    },
  ): Promise<void> {
    const t = of(ctx.tenant.id);
    t.ctx = ctx;
    // No board yet: the first computation reads everything anyway, so nothing is looked up (a bulk job's every
    // item touches the board, and would cost a Pax8 call each).
    if (!t.kept) {
      t.pending.clear();
      return;
    }
    try {
      const byRow = new Map<string, string>();
      const products = new Set(changed.pax8ProductIds ?? []);
      for (const c of t.kept?.byCompany.values() ?? []) {
        for (const r of c.rows) {
          byRow.set(r.subscriptionId, r.pax8CompanyId);
          if (products.has(r.productId)) t.pending.add(r.pax8CompanyId);
        }
      }
      for (const id of changed.pax8CompanyIds ?? []) t.pending.add(id);
      for (const id of changed.subscriptionIds ?? []) {
        const companyId = byRow.get(id) ?? (await ctx.upstream.getSubscription(id))?.companyId;
        if (companyId) t.pending.add(companyId);
      }
    } catch (err) {
      failed(t, 'Finding what a change touched', err);
    }
    if (!t.kept) {
      t.pending.clear();
      return;
    }
    startRefresh(t);
  }

  /** Resolves when no computation of the tenant is running (tests and the benchmark wait on it). */
  async function settled(tenantId: string): Promise<void> {
    const t = of(tenantId);
    while (t.full || t.refresh) await (t.full ?? t.refresh);
  }

  return { get, recompute, touch, settled };
}
