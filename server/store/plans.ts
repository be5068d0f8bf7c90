// Plans: what the user reviewed, kept briefly so apply works on exactly that plan (and nothing stale).
import { randomUUID } from 'node:crypto';
import type { Database, PlansTable } from './schema.ts';
import { fromJson, toJson } from './util.ts';

export type StoredPlan = {
  id: string;
  tenantId: string;
  memberId: string;
  subscriptionId: string;
  agreementId: number;
  /** The plan as sync/ built it; the caller validates or trusts its own shape. */
  body: unknown;
  createdAt: string;
  expiresAt: string;
};

export type PlanInput = {
  id?: string;
  memberId: string;
  subscriptionId: string;
  agreementId: number;
  body: unknown;
  ttlMs: number;
};

export type PlanLookup = { ok: true; plan: StoredPlan } | { ok: false; reason: 'not_found' | 'expired' };

export type Plans = ReturnType<typeof createPlans>;

export function createPlans(db: Database, now: () => Date = () => new Date()) {
  async function save(tenantId: string, input: PlanInput): Promise<StoredPlan> {
    const at = now();
    const row: PlansTable = {
      id: input.id ?? randomUUID(),
      tenant_id: tenantId,
      member_id: input.memberId,
      subscription_id: input.subscriptionId,
      agreement_id: input.agreementId,
      body: toJson(input.body),
      created_at: at.toISOString(),
      expires_at: new Date(at.getTime() + input.ttlMs).toISOString(),
    };
    await db.insertInto('plans').values(row).execute();
    return toPlan(row);
  }

  /** An expired plan is reported as such (the route answers 410 plan_expired), never returned. */
  async function get(tenantId: string, id: string): Promise<PlanLookup> {
    const row = await db
      .selectFrom('plans')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'not_found' };
    if (row.expires_at <= now().toISOString()) return { ok: false, reason: 'expired' };
    return { ok: true, plan: toPlan(row) };
  }

  async function remove(tenantId: string, id: string): Promise<boolean> {
    const result = await db
      .deleteFrom('plans')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Housekeeping across all tenants (no tenant data is read or returned); returns how many were deleted. */
  async function deleteExpired(): Promise<number> {
    const result = await db
      .deleteFrom('plans')
      .where('expires_at', '<=', now().toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return { save, get, remove, deleteExpired };
}

function toPlan(row: PlansTable): StoredPlan {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    memberId: row.member_id,
    subscriptionId: row.subscription_id,
    agreementId: row.agreement_id,
    body: fromJson(row.body),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
