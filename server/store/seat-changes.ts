// Seat changes made from the pod (Pax8 quantity update or cancellation): one row per idempotency key, written
// BEFORE Pax8 is called, so a retry or a double click finds the row and never changes seats twice. The row also
// remembers the member's "waive prorate" against the history change it made (its change key).
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Database, SeatChangesTable } from './schema.ts';
import { fromJsonOrNull, toJson } from './util.ts';

export type SeatChangeAction = 'quantity' | 'cancel';
/** pending: claimed, not sent. sent / unknown: sent, outcome not known (only a read of Pax8 settles it). */
export type SeatChangeState = 'pending' | 'sent' | 'unknown' | 'done' | 'failed';

export type SeatChange = {
  id: string;
  tenantId: string;
  idempotencyKey: string;
  subscriptionId: string;
  action: SeatChangeAction;
  fromQuantity: number;
  toQuantity: number;
  waiveProrate: boolean;
  state: SeatChangeState;
  memberId: string;
  memberName: string;
  /** The Pax8 history change it made ('2026-11-20#1'), once done; null for a cancellation. */
  changeKey: string | null;
  response: unknown;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
};

export type SeatChangeClaim = {
  idempotencyKey: string;
  subscriptionId: string;
  action: SeatChangeAction;
  fromQuantity: number;
  toQuantity: number;
  waiveProrate: boolean;
  memberId: string;
  memberName: string;
};

export type SeatChanges = ReturnType<typeof createSeatChanges>;

export function createSeatChanges(db: Database, now: () => Date = () => new Date()) {
  async function byKey(tenantId: string, key: string): Promise<SeatChange | null> {
    const row = await db
      .selectFrom('seat_changes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row ? toChange(row) : null;
  }

  /** Insert-if-absent by key: created=false hands back the row an earlier call stored. */
  async function claim(
    tenantId: string,
    input: SeatChangeClaim,
  ): Promise<{ change: SeatChange; created: boolean }> {
    const at = now().toISOString();
    const inserted = await db
      .insertInto('seat_changes')
      .values({
        id: randomUUID(),
        tenant_id: tenantId,
        idempotency_key: input.idempotencyKey,
        subscription_id: input.subscriptionId,
        action: input.action,
        from_quantity: input.fromQuantity,
        to_quantity: input.toQuantity,
        waive_prorate: input.waiveProrate ? 1 : 0,
        state: 'pending',
        member_id: input.memberId,
        member_name: input.memberName,
        change_key: null,
        response: null,
        created_at: at,
        updated_at: at,
        sent_at: null,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { change: toChange(inserted), created: true };
    const found = await byKey(tenantId, input.idempotencyKey);
    if (!found) throw new AppError('internal', 'Seat change claim lost');
    return { change: found, created: false };
  }

  async function update(
    tenantId: string,
    id: string,
    set: Partial<Pick<SeatChangesTable, 'state' | 'change_key' | 'response' | 'sent_at'>>,
  ): Promise<SeatChange> {
    const row = await db
      .updateTable('seat_changes')
      .set({ ...set, updated_at: now().toISOString() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'Seat change not found');
    return toChange(row);
  }

  const markSent = (tenantId: string, id: string) =>
    update(tenantId, id, { state: 'sent', sent_at: now().toISOString() });
  const markUnknown = (tenantId: string, id: string, response: unknown) =>
    update(tenantId, id, { state: 'unknown', response: toJson(response) });
  const markFailed = (tenantId: string, id: string, response: unknown) =>
    update(tenantId, id, { state: 'failed', response: toJson(response) });
  const markDone = (tenantId: string, id: string, changeKey: string | null, response: unknown) =>
    update(tenantId, id, { state: 'done', change_key: changeKey, response: toJson(response) });

  /** One subscription's done changes, oldest first: who made each, and whether its prorate was waived. */
  async function doneFor(tenantId: string, subscriptionId: string): Promise<SeatChange[]> {
    const rows = await db
      .selectFrom('seat_changes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .where('state', '=', 'done')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toChange);
  }

  /** The change keys whose prorate the member waived, for one subscription (done changes only). */
  async function waivedChangeKeys(tenantId: string, subscriptionId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('seat_changes')
      .select('change_key')
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .where('state', '=', 'done')
      .where('waive_prorate', '=', 1)
      .where('change_key', 'is not', null)
      .orderBy('change_key')
      .execute();
    return rows.flatMap((r) => (r.change_key === null ? [] : [r.change_key]));
  }

  return { byKey, claim, markSent, markUnknown, markFailed, markDone, waivedChangeKeys, doneFor };
}

function toChange(row: SeatChangesTable): SeatChange {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    idempotencyKey: row.idempotency_key,
    subscriptionId: row.subscription_id,
    action: row.action as SeatChangeAction,
    fromQuantity: row.from_quantity,
    toQuantity: row.to_quantity,
    waiveProrate: row.waive_prorate === 1,
    state: row.state as SeatChangeState,
    memberId: row.member_id,
    memberName: row.member_name,
    changeKey: row.change_key,
    response: fromJsonOrNull(row.response),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}
