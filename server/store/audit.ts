// The audit log: who changed what (bindings, settings, syncs), append-only, newest first.
import type { Selectable } from 'kysely';
import type { AuditLogTable, Database } from './schema.ts';
import { fromJsonOrNull, toJson } from './util.ts';

export type AuditEntry = {
  id: number;
  tenantId: string;
  actor: string;
  action: string;
  /** What was acted on, e.g. 'company:42', 'subscription:<uuid>', 'tenant'. */
  target: string;
  before: unknown;
  after: unknown;
  at: string;
};

export type AuditInput = { actor: string; action: string; target: string; before?: unknown; after?: unknown };

export type AuditLog = ReturnType<typeof createAuditLog>;

const MAX_LIMIT = 1000;

export function createAuditLog(db: Database, now: () => Date = () => new Date()) {
  async function append(tenantId: string, input: AuditInput): Promise<AuditEntry> {
    const row = await db
      .insertInto('audit_log')
      .values({
        tenant_id: tenantId,
        actor: input.actor,
        action: input.action,
        target: input.target,
        before: input.before === undefined ? null : toJson(input.before),
        after: input.after === undefined ? null : toJson(input.after),
        at: now().toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEntry(row);
  }

  async function list(
    tenantId: string,
    opts: { limit?: number; target?: string } = {},
  ): Promise<AuditEntry[]> {
    let query = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
    if (opts.target !== undefined) query = query.where('target', '=', opts.target);
    const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(opts.limit ?? 100)));
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toEntry);
  }

  return { append, list };
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(row.id),
    tenantId: row.tenant_id,
    actor: row.actor,
    action: row.action,
    target: row.target,
    before: fromJsonOrNull(row.before),
    after: fromJsonOrNull(row.after),
    at: row.at,
  };
}
