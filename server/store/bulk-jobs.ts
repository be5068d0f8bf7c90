// Bulk plans (a combined review, kept briefly) and bulk jobs (applied server-side, item by item). A job is made
// once per source (a re-confirm finds the same job) and leased by one runner at a time: a runner that dies
// leaves its lease to run out, and any process's runner then takes the job over and resumes its open items.
import { randomUUID } from 'node:crypto';
import type { Selectable, Updateable } from 'kysely';
import type { BulkItemsTable, BulkJobsTable, Database } from './schema.ts';
import { fromJson, fromJsonOrNull, isUniqueViolation, toJson } from './util.ts';

export type BulkPlanKind = 'apply' | 'undo';
export type BulkPlanRow = {
  id: string;
  memberId: string;
  kind: BulkPlanKind;
  body: unknown;
  createdAt: string;
  expiresAt: string;
};

export type BulkJobState = 'queued' | 'running' | 'done';
export type BulkItemState = 'pending' | 'waiting' | 'done' | 'failed';

export type BulkJobRow = {
  id: string;
  tenantId: string;
  kind: BulkPlanKind;
  source: string;
  memberId: string;
  memberName: string;
  state: BulkJobState;
  total: number;
  /** Its items' change counter: items changed after a read of it have a higher `rev`. */
  rev: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
};

export type BulkItemRow = {
  jobId: string;
  seq: number;
  state: BulkItemState;
  notBefore: string | null;
  attempts: number;
  payload: unknown;
  result: unknown;
  error: unknown;
  updatedAt: string;
  rev: number;
};

export type NewJob = {
  kind: BulkPlanKind;
  source: string;
  memberId: string;
  memberName: string;
  items: { payload: unknown; state?: BulkItemState; result?: unknown }[];
};

export type BulkJobs = ReturnType<typeof createBulkJobs>;

export function createBulkJobs(db: Database, now: () => Date = () => new Date()) {
  async function savePlan(
    tenantId: string,
    input: { memberId: string; kind: BulkPlanKind; body: unknown; ttlMs: number },
  ): Promise<BulkPlanRow> {
    const at = now();
    const row = {
      id: randomUUID(),
      tenant_id: tenantId,
      member_id: input.memberId,
      kind: input.kind,
      body: toJson(input.body),
      created_at: at.toISOString(),
      expires_at: new Date(at.getTime() + input.ttlMs).toISOString(),
    };
    await db.insertInto('bulk_plans').values(row).execute();
    return {
      id: row.id,
      memberId: row.member_id,
      kind: input.kind,
      body: input.body,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async function getPlan(tenantId: string, id: string): Promise<BulkPlanRow | null> {
    const row = await db
      .selectFrom('bulk_plans')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      memberId: row.member_id,
      kind: row.kind as BulkPlanKind,
      body: fromJson(row.body),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  /**
   * Creates the job and its items in one transaction, or finds the job already made from this source (a
   * re-confirm, a double click, a retry after a lost answer): `created` says which.
   */
  async function create(tenantId: string, input: NewJob): Promise<{ job: BulkJobRow; created: boolean }> {
    const existing = await bySource(tenantId, input.source);
    if (existing) return { job: existing, created: false };
    const at = now().toISOString();
    const id = randomUUID();
    const allDone = input.items.every((i) => i.state === 'done' || i.state === 'failed');
    try {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('bulk_jobs')
          .values({
            id,
            tenant_id: tenantId,
            kind: input.kind,
            source: input.source,
            member_id: input.memberId,
            member_name: input.memberName,
            state: allDone ? 'done' : 'queued',
            total: input.items.length,
            lease_owner: null,
            lease_until: null,
            created_at: at,
            updated_at: at,
            finished_at: allDone ? at : null,
          })
          .execute();
        for (let i = 0; i < input.items.length; i += 200) {
          await trx
            .insertInto('bulk_items')
            .values(
              input.items.slice(i, i + 200).map((item, k) => ({
                job_id: id,
                seq: i + k,
                tenant_id: tenantId,
                state: item.state ?? 'pending',
                not_before: null,
                attempts: 0,
                payload: toJson(item.payload),
                result: item.result === undefined ? null : toJson(item.result),
                error: null,
                updated_at: at,
              })),
            )
            .execute();
        }
      });
    } catch (err) {
      // Two confirms at once: the loser answers with the winner's job.
      if (!isUniqueViolation(err)) throw err;
      const winner = await bySource(tenantId, input.source);
      if (!winner) throw err;
      return { job: winner, created: false };
    }
    return { job: (await get(tenantId, id)) as BulkJobRow, created: true };
  }

  async function bySource(tenantId: string, source: string): Promise<BulkJobRow | null> {
    const row = await db
      .selectFrom('bulk_jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('source', '=', source)
      .executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async function get(tenantId: string, id: string): Promise<BulkJobRow | null> {
    const row = await db
      .selectFrom('bulk_jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toJob(row) : null;
  }

  /** The job's items, or only those changed after the job's `rev` was `since` (a poll's cursor). */
  async function items(tenantId: string, jobId: string, since?: number): Promise<BulkItemRow[]> {
    let q = db
      .selectFrom('bulk_items')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('job_id', '=', jobId);
    if (since !== undefined) q = q.where('rev', '>', since);
    return (await q.orderBy('seq').execute()).map(toItem);
  }

  /** How many of the job's items are in each state (a poll's counts, without reading the items). */
  async function stateCounts(tenantId: string, jobId: string): Promise<Record<BulkItemState, number>> {
    const rows = await db
      .selectFrom('bulk_items')
      .select((eb) => ['state', eb.fn.countAll<number | string | bigint>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('job_id', '=', jobId)
      .groupBy('state')
      .execute();
    const counts: Record<BulkItemState, number> = { pending: 0, waiting: 0, done: 0, failed: 0 };
    for (const r of rows) counts[r.state as BulkItemState] = Number(r.n);
    return counts;
  }

  /** The job's items without their payloads (the runner's loop reads these often). */
  async function itemStates(
    tenantId: string,
    jobId: string,
  ): Promise<Pick<BulkItemRow, 'seq' | 'state' | 'notBefore' | 'attempts'>[]> {
    const rows = await db
      .selectFrom('bulk_items')
      .select(['seq', 'state', 'not_before', 'attempts'])
      .where('tenant_id', '=', tenantId)
      .where('job_id', '=', jobId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      seq: r.seq,
      state: r.state as BulkItemState,
      notBefore: r.not_before,
      attempts: r.attempts,
    }));
  }

  async function item(tenantId: string, jobId: string, seq: number): Promise<BulkItemRow | null> {
    const row = await db
      .selectFrom('bulk_items')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('job_id', '=', jobId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? toItem(row) : null;
  }

  /** Jobs not finished, any tenant (the runner resumes them at start): ids and tenants only. */
  async function unfinished(): Promise<{ id: string; tenantId: string }[]> {
    const rows = await db
      .selectFrom('bulk_jobs')
      .select(['id', 'tenant_id'])
      .where('state', '!=', 'done')
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
  }

  /**
   * Takes (or extends) the job's lease for `owner`: one atomic UPDATE, so two runners never both hold it. False
   * when another owner's lease has not run out, or the job is done.
   */
  async function lease(tenantId: string, jobId: string, owner: string, ttlMs: number): Promise<boolean> {
    const at = now();
    const result = await db
      .updateTable('bulk_jobs')
      .set({
        lease_owner: owner,
        lease_until: new Date(at.getTime() + ttlMs).toISOString(),
        state: 'running',
        updated_at: at.toISOString(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', jobId)
      .where('state', '!=', 'done')
      .where((eb) =>
        eb.or([
          eb('lease_owner', 'is', null),
          eb('lease_owner', '=', owner),
          eb('lease_until', '<=', at.toISOString()),
        ]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async function finish(tenantId: string, jobId: string, owner: string): Promise<void> {
    const at = now().toISOString();
    await db
      .updateTable('bulk_jobs')
      .set({ state: 'done', lease_owner: null, lease_until: null, updated_at: at, finished_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', jobId)
      .where('lease_owner', '=', owner)
      .execute();
  }

  async function updateItem(
    tenantId: string,
    jobId: string,
    seq: number,
    set: {
      state: BulkItemState;
      notBefore?: string | null;
      attempts?: number;
      result?: unknown;
      error?: unknown;
    },
  ): Promise<void> {
    const patch: Updateable<BulkItemsTable> = { state: set.state, updated_at: now().toISOString() };
    if (set.notBefore !== undefined) patch.not_before = set.notBefore;
    if (set.attempts !== undefined) patch.attempts = set.attempts;
    if (set.result !== undefined) patch.result = toJson(set.result);
    if (set.error !== undefined) patch.error = set.error === null ? null : toJson(set.error);
    // The job's row is updated first: its lock (PostgreSQL) or the one writer (SQLite) orders the item changes
    // of a job, so once a poll reads rev N, every change numbered up to N is committed and readable.
    await db.transaction().execute(async (trx) => {
      const bumped = await trx
        .updateTable('bulk_jobs')
        .set((eb) => ({ rev: eb('rev', '+', 1) }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', jobId)
        .returning('rev')
        .executeTakeFirst();
      if (!bumped) return;
      await trx
        .updateTable('bulk_items')
        .set({ ...patch, rev: bumped.rev })
        .where('tenant_id', '=', tenantId)
        .where('job_id', '=', jobId)
        .where('seq', '=', seq)
        .execute();
    });
  }

  return {
    savePlan,
    getPlan,
    create,
    get,
    bySource,
    items,
    stateCounts,
    itemStates,
    item,
    unfinished,
    lease,
    finish,
    updateItem,
  };
}

function toJob(row: Selectable<BulkJobsTable>): BulkJobRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind as BulkPlanKind,
    source: row.source,
    memberId: row.member_id,
    memberName: row.member_name,
    state: row.state as BulkJobState,
    total: row.total,
    rev: row.rev,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

function toItem(row: Selectable<BulkItemsTable>): BulkItemRow {
  return {
    jobId: row.job_id,
    seq: row.seq,
    state: row.state as BulkItemState,
    notBefore: row.not_before,
    attempts: row.attempts,
    payload: fromJson(row.payload),
    result: fromJsonOrNull(row.result),
    error: fromJsonOrNull(row.error),
    updatedAt: row.updated_at,
    rev: row.rev,
  };
}
