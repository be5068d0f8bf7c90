// The journal of Create and Bind: one row per ConnectWise company, written before Pax8 is called and settled
// after, so a retry knows whether an earlier attempt may have created the Pax8 company already.
import type { CompanyCreationsTable, Database } from './schema.ts';
import { fromJson, toJson } from './util.ts';

export type CreationState = 'pending' | 'sent' | 'done' | 'failed';

export type CompanyCreation = {
  tenantId: string;
  cwCompanyId: number;
  state: CreationState;
  pax8CompanyId: string | null;
  request: unknown;
  error: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

export type CompanyCreations = ReturnType<typeof createCompanyCreations>;

export function createCompanyCreations(db: Database, now: () => Date = () => new Date()) {
  async function get(tenantId: string, cwCompanyId: number): Promise<CompanyCreation | null> {
    const row = await db
      .selectFrom('company_creations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('cw_company_id', '=', cwCompanyId)
      .executeTakeFirst();
    return row ? toCreation(row) : null;
  }

  /**
   * Claims the company's row (insert-if-absent). A row that failed (Pax8 refused the fields) is claimed again
   * with the new request; any other existing row is returned as it is for the caller to read its state.
   */
  async function claim(
    tenantId: string,
    input: { cwCompanyId: number; request: unknown; createdBy: string },
  ): Promise<CompanyCreation> {
    const at = now().toISOString();
    await db
      .insertInto('company_creations')
      .values({
        tenant_id: tenantId,
        cw_company_id: input.cwCompanyId,
        state: 'pending',
        pax8_company_id: null,
        request: toJson(input.request),
        error: null,
        created_by: input.createdBy,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'cw_company_id'])
          .doUpdateSet({
            state: 'pending',
            request: toJson(input.request),
            error: null,
            created_by: input.createdBy,
            updated_at: at,
          })
          .where('company_creations.state', '=', 'failed'),
      )
      .execute();
    const row = await get(tenantId, input.cwCompanyId);
    if (!row) throw new Error('company creation row vanished after its claim');
    return row;
  }

  async function settle(
    tenantId: string,
    cwCompanyId: number,
    change: { state: CreationState; pax8CompanyId?: string; error?: string },
  ): Promise<void> {
    await db
      .updateTable('company_creations')
      .set({
        state: change.state,
        ...(change.pax8CompanyId === undefined ? {} : { pax8_company_id: change.pax8CompanyId }),
        error: change.error ?? null,
        updated_at: now().toISOString(),
      })
      .where('tenant_id', '=', tenantId)
      .where('cw_company_id', '=', cwCompanyId)
      .execute();
  }

  return { get, claim, settle };
}

function toCreation(row: CompanyCreationsTable): CompanyCreation {
  return {
    tenantId: row.tenant_id,
    cwCompanyId: row.cw_company_id,
    state: row.state as CreationState,
    pax8CompanyId: row.pax8_company_id,
    request: fromJson(row.request),
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
