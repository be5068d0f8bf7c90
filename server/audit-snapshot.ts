// The unsynced audit of one tenant (GET /api/audit/unsynced): read, judged, and kept for its later pages. A
// first page (no cursor) always reads again; a page after a cursor is cut from the snapshot the walk began
// with while it is young and no write has come between (write-generation.ts), so a walk through 40,000
// subscriptions reads Pax8 and ConnectWise once, not once per page, and never mixes two readings.
import { cond } from './connectwise/index.ts';
import { toAgreement } from './connectwise/sync-adapter.ts';
import { createSingleFlight } from './http/single-flight.ts';
import { writeGenerationOf } from './http/write-generation.ts';
import { toSubscription } from './pax8/sync-adapter.ts';
import type { ApiContext } from './routes/deps.ts';
import type { Session } from './session/jwt.ts';
import {
  auditUnsynced,
  lastSyncedOf,
  type SortKeyRow,
  type UnsyncedAudit,
  type UnsyncedRow,
} from './sync/unsynced.ts';
import { judgeAudit, readBoundAdditions } from './sync/unsynced-judge.ts';
import type { AuditPage, PageableAudit } from './sync/unsynced-page.ts';
import { judgeAuditUsage } from './sync/usage.ts';
import { syncContextOf } from './sync-context.ts';

/** How long a walk's later pages are cut from its snapshot. */
export const AUDIT_SNAPSHOT_TTL_MS = 2 * 60_000;
/** Tenants whose snapshot is kept at once (least recently used out): each is one tenant's unsynced rows. */
export const AUDIT_SNAPSHOT_MAX = 8;

/**
 * A row kept as its JSON text beside its sort key: 40,000 rows with their money per month are ~13 MB of text and
 * several times that as objects, and a page only ever sends them.
 */
export type LeanRow = SortKeyRow & { json: string };
export type LeanAudit = PageableAudit<LeanRow>;

type Snapshot = { generation: number; today: string; at: number; audit: LeanAudit };

export type AuditSnapshots = {
  /** The tenant's audit: read afresh for a first page, else the walk's snapshot when still good. */
  audit(session: Session, firstPage: boolean): Promise<LeanAudit>;
};

function leanRow(row: UnsyncedRow): LeanRow {
  const { companyName, productName, id } = row.subscription;
  return { subscription: { companyName, productName, id }, json: JSON.stringify(row) };
}

export function leanAudit(audit: UnsyncedAudit): LeanAudit {
  return { ...audit, nonArrears: audit.nonArrears.map(leanRow), arrears: audit.arrears.map(leanRow) };
}

/** A page's JSON text: its kept rows spliced in as they are. */
export function auditPageJson(page: AuditPage<LeanRow>): string {
  const { nonArrears, arrears, ...rest } = page;
  const head = JSON.stringify(rest);
  const rows = (list: LeanRow[]) => `[${list.map((r) => r.json).join(',')}]`;
  return `${head.slice(0, -1)},"nonArrears":${rows(nonArrears)},"arrears":${rows(arrears)}}`;
}

const perContext = new WeakMap<ApiContext, AuditSnapshots>();

export function auditSnapshotsOf(deps: ApiContext): AuditSnapshots {
  let snapshots = perContext.get(deps);
  if (!snapshots) {
    snapshots = createAuditSnapshots(deps);
    perContext.set(deps, snapshots);
  }
  return snapshots;
}

function createAuditSnapshots(
  deps: ApiContext,
  clock: () => number = () => performance.now(),
): AuditSnapshots {
  const writes = writeGenerationOf(deps);
  const kept = new Map<string, Snapshot>();
  // Two first pages of one tenant at once (two tabs, a double click) share one reading.
  const reading = createSingleFlight<LeanAudit>();
  const keep = (tenantId: string, snapshot: Snapshot) => {
    kept.delete(tenantId);
    kept.set(tenantId, snapshot);
    for (const oldest of kept.keys()) {
      if (kept.size <= AUDIT_SNAPSHOT_MAX) break;
      kept.delete(oldest);
    }
  };
  return {
    async audit(session, firstPage) {
      const tenantId = session.tenantId;
      const today = deps.now().toISOString().slice(0, 10);
      const generation = writes.current();
      const hit = kept.get(tenantId);
      if (
        !firstPage &&
        hit &&
        hit.generation === generation &&
        hit.today === today &&
        clock() - hit.at < AUDIT_SNAPSHOT_TTL_MS
      )
        return hit.audit;
      // A fresh reading replaces the walk's snapshot: never two of one tenant's audits held at once.
      if (firstPage) kept.delete(tenantId);
      const at = clock();
      const audit = await reading.run(`${tenantId}|${generation}|${today}`, async () =>
        leanAudit(await readAudit(deps, session)),
      );
      // Kept only when no write came while it was read: else the next page reads again.
      if (writes.current() === generation) keep(tenantId, { generation, today, at, audit });
      return audit;
    },
  };
}

/**
 * One full reading: the store's rows first (the bindings say which ConnectWise companies to read), then Pax8's
 * two lists and ConnectWise's agreements and additions side by side, then the one judgement (spec §8).
 */
async function readAudit(deps: ApiContext, session: Session): Promise<UnsyncedAudit> {
  const ctx = await syncContextOf(deps, session);
  const tenantId = ctx.tenant.id;
  const [companyBindings, productBindings, ignored, priceOverrides] = await Promise.all([
    ctx.repos.companyBindings.list(tenantId),
    ctx.repos.productBindings.list(tenantId),
    ctx.repos.ignored.list(tenantId),
    ctx.repos.priceOverrides.forTenant(tenantId),
  ]);
  // ConnectWise's additions of the bound companies decide "synced" (spec §8): one agreements walk per 100
  // bound companies, then one additions walk per active agreement, 4 at a time, while Pax8 is paged.
  const [synced, pax8Companies, bound] = await Promise.all([
    ctx.pax8.subscriptions.allAs(toSubscription),
    ctx.pax8.companies.all(),
    readBoundAdditions(
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
      companyBindings.map((b) => b.cwCompanyId),
    ),
  ]);
  const journal = await ctx.repos.journal.forSubscriptions(
    tenantId,
    synced.map((s) => s.id),
  );
  const now = deps.now();
  const judged = judgeAudit({
    subscriptions: synced,
    companyBindings,
    productBindings,
    agreements: bound.agreements,
    additions: bound.additions,
    lastSynced: lastSyncedOf(journal),
    journal: [...journal.values()].flat(),
    priceOverrides,
    today: now.toISOString().slice(0, 10),
  });
  // Usage (Azure) is judged per closed month from Pax8's invoices: one list and one items page per invoice.
  const usage = await judgeAuditUsage({
    upstream: ctx.upstream,
    subscriptions: synced,
    boundCompanies: new Set(companyBindings.map((b) => b.pax8CompanyId)),
    productBindings,
    additions: bound.additions,
    journal: [...journal.values()].flat(),
    judgedOf: (id) => {
      const j = judged.get(id);
      return j && { agreementId: j.agreementId, firstUninvoicedMonth: j.money.firstUninvoicedMonth };
    },
    today: now.toISOString().slice(0, 10),
  });
  return auditUnsynced({
    subscriptions: synced,
    pax8Companies: pax8Companies.map((c) => ({ id: c.id, name: c.name })),
    companyBindings,
    productBindings,
    journal,
    ignored,
    now,
    judged,
    usage,
  });
}
