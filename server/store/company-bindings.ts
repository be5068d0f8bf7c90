// Company bindings: a ConnectWise company ↔ a Pax8 company, one-to-one within a tenant.
import { AppError } from '../errors.ts';
import type { CompanyBindingsTable, Database } from './schema.ts';

export type CompanyBinding = {
  tenantId: string;
  cwCompanyId: number;
  pax8CompanyId: string;
  createdBy: string;
  createdAt: string;
};

export type CompanyBindings = ReturnType<typeof createCompanyBindings>;

export function createCompanyBindings(db: Database, now: () => Date = () => new Date()) {
  const base = (tenantId: string) =>
    db.selectFrom('company_bindings').selectAll().where('tenant_id', '=', tenantId);

  async function byCw(tenantId: string, cwCompanyId: number): Promise<CompanyBinding | null> {
    const row = await base(tenantId).where('cw_company_id', '=', cwCompanyId).executeTakeFirst();
    return row ? toBinding(row) : null;
  }

  async function byPax8(tenantId: string, pax8CompanyId: string): Promise<CompanyBinding | null> {
    const row = await base(tenantId).where('pax8_company_id', '=', pax8CompanyId).executeTakeFirst();
    return row ? toBinding(row) : null;
  }

  async function list(tenantId: string): Promise<CompanyBinding[]> {
    return (await base(tenantId).orderBy('cw_company_id').execute()).map(toBinding);
  }

  /**
   * Binding the same pair again returns the existing binding (a double click is harmless); binding either
   * side to something else throws AppError('conflict') — unbind first.
   */
  async function bind(
    tenantId: string,
    input: { cwCompanyId: number; pax8CompanyId: string; createdBy: string },
  ): Promise<CompanyBinding> {
    const inserted = await db
      .insertInto('company_bindings')
      .values({
        tenant_id: tenantId,
        cw_company_id: input.cwCompanyId,
        pax8_company_id: input.pax8CompanyId,
        created_by: input.createdBy,
        created_at: now().toISOString(),
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return toBinding(inserted);
    const existing = await byCw(tenantId, input.cwCompanyId);
    if (existing && existing.pax8CompanyId === input.pax8CompanyId) return existing;
    throw new AppError('conflict', 'The ConnectWise company or the Pax8 company is already bound', {
      details: { existing: existing ?? (await byPax8(tenantId, input.pax8CompanyId)) },
    });
  }

  /** Removes the binding of a ConnectWise company; false when there was none. */
  async function unbind(tenantId: string, cwCompanyId: number): Promise<boolean> {
    const result = await db
      .deleteFrom('company_bindings')
      .where('tenant_id', '=', tenantId)
      .where('cw_company_id', '=', cwCompanyId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  return { bind, unbind, list, byCw, byPax8 };
}

function toBinding(row: CompanyBindingsTable): CompanyBinding {
  return {
    tenantId: row.tenant_id,
    cwCompanyId: row.cw_company_id,
    pax8CompanyId: row.pax8_company_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
