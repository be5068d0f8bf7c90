// The kept reconciliation board (server/board/): one snapshot row per tenant and the rows of each bound Pax8
// company as JSON. A full recompute replaces everything in one transaction; a refresh replaces its companies.
import type { Database } from './schema.ts';

export type StoredBoardCompany = { pax8CompanyId: string; subscriptions: number; rows: unknown[] };

export type StoredBoard = {
  computedAt: string;
  refreshedAt: string;
  subscriptions: number;
  companies: number;
  byCompany: StoredBoardCompany[];
};

export type BoardStore = ReturnType<typeof createBoardStore>;

export function createBoardStore(db: Database) {
  async function load(tenantId: string): Promise<StoredBoard | null> {
    const head = await db
      .selectFrom('board_snapshots')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!head) return null;
    const rows = await db
      .selectFrom('board_companies')
      .select(['pax8_company_id', 'subscriptions', 'rows'])
      .where('tenant_id', '=', tenantId)
      .execute();
    return {
      computedAt: head.computed_at,
      refreshedAt: head.refreshed_at,
      subscriptions: Number(head.subscriptions),
      companies: Number(head.companies),
      byCompany: rows.map((r) => ({
        pax8CompanyId: r.pax8_company_id,
        subscriptions: Number(r.subscriptions),
        rows: JSON.parse(r.rows) as unknown[],
      })),
    };
  }

  /**
   * Saves a board: `replaceAll` (a full recompute) drops the companies not given; otherwise only the given
   * companies are replaced (an empty rows list keeps a company that has nothing on the board any more).
   */
  async function save(
    tenantId: string,
    board: Omit<StoredBoard, 'byCompany'> & { byCompany: StoredBoardCompany[]; replaceAll: boolean },
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const head = {
        computed_at: board.computedAt,
        refreshed_at: board.refreshedAt,
        subscriptions: board.subscriptions,
        companies: board.companies,
      };
      await trx
        .insertInto('board_snapshots')
        .values({ tenant_id: tenantId, ...head })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet(head))
        .execute();
      const ids = board.byCompany.map((c) => c.pax8CompanyId);
      if (board.replaceAll)
        await trx.deleteFrom('board_companies').where('tenant_id', '=', tenantId).execute();
      else if (ids.length > 0) {
        for (let i = 0; i < ids.length; i += 500) {
          await trx
            .deleteFrom('board_companies')
            .where('tenant_id', '=', tenantId)
            .where('pax8_company_id', 'in', ids.slice(i, i + 500))
            .execute();
        }
      }
      const values = board.byCompany.map((c) => ({
        tenant_id: tenantId,
        pax8_company_id: c.pax8CompanyId,
        subscriptions: c.subscriptions,
        rows: JSON.stringify(c.rows),
        computed_at: board.refreshedAt,
      }));
      for (let i = 0; i < values.length; i += 200)
        await trx
          .insertInto('board_companies')
          .values(values.slice(i, i + 200))
          .execute();
    });
  }

  /**
   * A chunk of a full recompute: the given companies' rows replaced, stamped `at` (the recompute's time); the
   * head is left as it is, so other processes keep serving the previous board until finishFull.
   */
  async function saveCompanies(tenantId: string, at: string, byCompany: StoredBoardCompany[]): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const ids = byCompany.map((c) => c.pax8CompanyId);
      for (let i = 0; i < ids.length; i += 500)
        await trx
          .deleteFrom('board_companies')
          .where('tenant_id', '=', tenantId)
          .where('pax8_company_id', 'in', ids.slice(i, i + 500))
          .execute();
      const values = byCompany.map((c) => ({
        tenant_id: tenantId,
        pax8_company_id: c.pax8CompanyId,
        subscriptions: c.subscriptions,
        rows: JSON.stringify(c.rows),
        computed_at: at,
      }));
      for (let i = 0; i < values.length; i += 200)
        await trx
          .insertInto('board_companies')
          .values(values.slice(i, i + 200))
          .execute();
    });
  }

  /**
   * The end of a full recompute whose companies were saved by saveCompanies: the head written and every company
   * not in `keep` (no longer bound) dropped.
   */
  async function finishFull(
    tenantId: string,
    board: Omit<StoredBoard, 'byCompany'>,
    keep: readonly string[],
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const head = {
        computed_at: board.computedAt,
        refreshed_at: board.refreshedAt,
        subscriptions: board.subscriptions,
        companies: board.companies,
      };
      await trx
        .insertInto('board_snapshots')
        .values({ tenant_id: tenantId, ...head })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet(head))
        .execute();
      let drop = trx.deleteFrom('board_companies').where('tenant_id', '=', tenantId);
      if (keep.length > 0) drop = drop.where('pax8_company_id', 'not in', [...keep]);
      await drop.execute();
    });
  }

  /** When the kept board last changed (null: never computed): a cheap check before reloading it. */
  async function refreshedAt(tenantId: string): Promise<string | null> {
    const head = await db
      .selectFrom('board_snapshots')
      .select('refreshed_at')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return head?.refreshed_at ?? null;
  }

  return { load, save, saveCompanies, finishFull, refreshedAt };
}
