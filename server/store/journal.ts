// The sync journal: one row per planned addition write, recorded BEFORE the write is sent. claim() is
// insert-if-absent by idempotency key, so a retry, a double click or a second process gets the same row.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Database, JournalTable } from './schema.ts';
import { fromJson, fromJsonOrNull, toJson } from './util.ts';

export type JournalKind = 'recurring' | 'prorate' | 'extra' | 'period' | 'usage';
export type JournalAction = 'create' | 'update' | 'cancel';
/**
 * pending: claimed, not sent (nothing reached ConnectWise). sent: being sent, or the process died while it was.
 * unknown: sent, and ConnectWise did not say whether it took it (timeout, connection lost, 5xx). done / failed:
 * known outcome. 'sent' and 'unknown' are resolved only by reading ConnectWise (sync/apply.ts).
 */
/** 'ignored': a write the member left out at apply, kept so the views say it is not written (never sent). */
/** 'undone': a done write a batch undo reversed in ConnectWise; a later plan writes it again (sync/apply.ts). */
export type JournalState = 'pending' | 'sent' | 'unknown' | 'done' | 'failed' | 'ignored' | 'undone';

export type JournalEntry = {
  id: string;
  tenantId: string;
  planId: string;
  idempotencyKey: string;
  subscriptionId: string;
  agreementId: number;
  kind: JournalKind;
  action: JournalAction;
  state: JournalState;
  cwAdditionId: number | null;
  request: unknown;
  response: unknown;
  /** Which history change a prorate covers, e.g. '2020-09-09:+1'. */
  changeKey: string | null;
  createdAt: string;
  updatedAt: string;
  /** When it was last sent; null before it was, and for rows sent before migration 0002. */
  sentAt: string | null;
};

export type JournalClaim = {
  planId: string;
  idempotencyKey: string;
  subscriptionId: string;
  agreementId: number;
  kind: JournalKind;
  action: JournalAction;
  request: unknown;
  changeKey?: string | null;
};

export type Journal = ReturnType<typeof createJournal>;

export function createJournal(db: Database, now: () => Date = () => new Date()) {
  const byKey = (tenantId: string, key: string) =>
    db
      .selectFrom('sync_journal')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();

  /** created=false means the key was already journaled: look at entry.state before sending anything. */
  async function claim(
    tenantId: string,
    input: JournalClaim,
  ): Promise<{ entry: JournalEntry; created: boolean }> {
    const at = now().toISOString();
    const inserted = await db
      .insertInto('sync_journal')
      .values({
        id: randomUUID(),
        tenant_id: tenantId,
        plan_id: input.planId,
        idempotency_key: input.idempotencyKey,
        subscription_id: input.subscriptionId,
        agreement_id: input.agreementId,
        kind: input.kind,
        action: input.action,
        state: 'pending',
        cw_addition_id: null,
        request: toJson(input.request),
        response: null,
        change_key: input.changeKey ?? null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { entry: toEntry(inserted), created: true };
    return { entry: toEntry(await byKey(tenantId, input.idempotencyKey)), created: false };
  }

  async function update(
    tenantId: string,
    id: string,
    set: Partial<
      Pick<JournalTable, 'state' | 'cw_addition_id' | 'response' | 'request' | 'plan_id' | 'sent_at'>
    >,
  ): Promise<JournalEntry> {
    const row = await db
      .updateTable('sync_journal')
      .set({ ...set, updated_at: now().toISOString() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'Journal entry not found');
    return toEntry(row);
  }

  /** About to send: from here a crash leaves the outcome unknown, so the entry counts as possibly written. */
  const markSent = (tenantId: string, id: string, request?: unknown) => {
    const sent_at = now().toISOString();
    return update(
      tenantId,
      id,
      request === undefined
        ? { state: 'sent', sent_at }
        : { state: 'sent', sent_at, request: toJson(request) },
    );
  };

  /** Sent, and ConnectWise did not say whether it took it: only a later read of ConnectWise settles it. */
  const markUnknown = (tenantId: string, id: string, response: unknown) =>
    update(tenantId, id, { state: 'unknown', response: toJson(response) });

  const markDone = (
    tenantId: string,
    id: string,
    result: { cwAdditionId: number | null; response: unknown },
  ) =>
    update(tenantId, id, {
      state: 'done',
      cw_addition_id: result.cwAdditionId,
      response: toJson(result.response),
    });

  /** A write left out at apply (never sent): see JournalState. */
  const markIgnored = (tenantId: string, id: string) => update(tenantId, id, { state: 'ignored' });

  /** A done write a batch undo reversed: no longer counted as written (syncedChangeKeys reads 'done' only). */
  const markUndone = (tenantId: string, id: string) => update(tenantId, id, { state: 'undone' });

  const markFailed = (tenantId: string, id: string, response: unknown) =>
    update(tenantId, id, { state: 'failed', response: toJson(response) });

  /**
   * A done create whose addition no longer exists in ConnectWise (deleted by hand): the entry is handed to
   * the new plan as pending, so that plan writes it again under the same idempotency key.
   */
  const reopen = (tenantId: string, id: string, input: { planId: string; request: unknown }) =>
    update(tenantId, id, {
      state: 'pending',
      plan_id: input.planId,
      cw_addition_id: null,
      request: toJson(input.request),
      sent_at: null,
    });

  async function get(tenantId: string, id: string): Promise<JournalEntry | null> {
    const row = await db
      .selectFrom('sync_journal')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toEntry(row) : null;
  }

  /** The tenant's rows where `column` is `value`, in claim order. */
  async function rowsWhere(
    tenantId: string,
    column: 'subscription_id' | 'plan_id',
    value: string,
  ): Promise<JournalEntry[]> {
    const rows = await db
      .selectFrom('sync_journal')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(column, '=', value)
      .orderBy('created_at')
      .orderBy('idempotency_key')
      .execute();
    return rows.map(toEntry);
  }

  const forSubscription = (tenantId: string, subscriptionId: string) =>
    rowsWhere(tenantId, 'subscription_id', subscriptionId);

  /** One query for many subscriptions (the unsynced list), grouped by subscription id. */
  async function forSubscriptions(
    tenantId: string,
    subscriptionIds: readonly string[],
  ): Promise<Map<string, JournalEntry[]>> {
    const out = new Map<string, JournalEntry[]>(subscriptionIds.map((id) => [id, []]));
    for (let i = 0; i < subscriptionIds.length; i += 500) {
      const rows = await db
        .selectFrom('sync_journal')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('subscription_id', 'in', subscriptionIds.slice(i, i + 500))
        .orderBy('created_at')
        .orderBy('idempotency_key')
        .execute();
      for (const row of rows) out.get(row.subscription_id)?.push(toEntry(row));
    }
    return out;
  }

  const forPlan = (tenantId: string, planId: string) => rowsWhere(tenantId, 'plan_id', planId);

  /**
   * The change keys prorated on this agreement: 'done' only. A 'sent' or 'unknown' one (no answer) may never have
   * reached ConnectWise, so a re-plan includes it again; apply then settles it by its marker first (and refuses
   * while it could still land), so it is never written twice.
   */
  async function syncedChangeKeys(
    tenantId: string,
    subscriptionId: string,
    agreementId: number,
  ): Promise<string[]> {
    const rows = await db
      .selectFrom('sync_journal')
      .select('change_key')
      .distinct()
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .where('agreement_id', '=', agreementId)
      .where('state', '=', 'done')
      .where('change_key', 'is not', null)
      .orderBy('change_key')
      .execute();
    return rows.flatMap((r) => (r.change_key === null ? [] : [r.change_key]));
  }

  return {
    claim,
    markSent,
    markUnknown,
    markDone,
    markFailed,
    reopen,
    get,
    forSubscription,
    forSubscriptions,
    forPlan,
    syncedChangeKeys,
    markIgnored,
    markUndone,
  };
}

function toEntry(row: JournalTable): JournalEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    planId: row.plan_id,
    idempotencyKey: row.idempotency_key,
    subscriptionId: row.subscription_id,
    agreementId: row.agreement_id,
    kind: row.kind as JournalKind,
    action: row.action as JournalAction,
    state: row.state as JournalState,
    cwAdditionId: row.cw_addition_id,
    request: fromJson(row.request),
    response: fromJsonOrNull(row.response),
    changeKey: row.change_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at ?? null,
  };
}
