// Scheduled sync runs and their to-do lists (issue 11 item 3). A run is claimed by inserting its (tenant, due
// instant) row: the unique key lets exactly one process of a cluster (or one tick of one process) run it.
import { randomUUID } from 'node:crypto';
import type { Database } from './schema.ts';
import { fromJson, fromJsonOrNull, isUniqueViolation, toJson } from './util.ts';

export type ScheduleRunState = 'running' | 'done' | 'failed';
export type ScheduleRunRow = {
  id: string;
  tenantId: string;
  slot: string;
  state: ScheduleRunState;
  owner: string;
  jobId: string | null;
  summary: unknown;
  startedAt: string;
  finishedAt: string | null;
};

export type ScheduleTodoState = 'open' | 'dismissed' | 'approved' | 'superseded';
export type ScheduleTodoRow = {
  id: string;
  runId: string;
  subscriptionId: string;
  agreementId: number;
  line: unknown;
  reason: string;
  state: ScheduleTodoState;
  createdAt: string;
};

export type NewTodo = { subscriptionId: string; agreementId: number; line: unknown; reason: string };

export type ScheduleRuns = ReturnType<typeof createScheduleRuns>;

const toRun = (r: {
  id: string;
  tenant_id: string;
  slot: string;
  state: string;
  owner: string;
  job_id: string | null;
  summary: string | null;
  started_at: string;
  finished_at: string | null;
}): ScheduleRunRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  slot: r.slot,
  state: r.state as ScheduleRunState,
  owner: r.owner,
  jobId: r.job_id,
  summary: fromJsonOrNull(r.summary),
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export function createScheduleRuns(db: Database, now: () => Date = () => new Date()) {
  return {
    /** Claims the run of `slot`; null when it is already claimed (by this or another process). */
    async claim(tenantId: string, slot: string, owner: string): Promise<ScheduleRunRow | null> {
      const row = {
        id: randomUUID(),
        tenant_id: tenantId,
        slot,
        state: 'running',
        owner,
        job_id: null,
        summary: null,
        started_at: now().toISOString(),
        finished_at: null,
      };
      try {
        await db.insertInto('schedule_runs').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
      return toRun(row);
    },

    async get(tenantId: string, slot: string): Promise<ScheduleRunRow | null> {
      const row = await db
        .selectFrom('schedule_runs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('slot', '=', slot)
        .executeTakeFirst();
      return row ? toRun(row) : null;
    },

    /**
     * Takes over a run still 'running' that started before `staleBefore` (its process died mid-run); null when
     * it finished, is fresh, or another process took it over first (the update is the race's referee).
     */
    async takeOver(
      tenantId: string,
      slot: string,
      owner: string,
      staleBefore: string,
    ): Promise<ScheduleRunRow | null> {
      const res = await db
        .updateTable('schedule_runs')
        .set({ owner, started_at: now().toISOString() })
        .where('tenant_id', '=', tenantId)
        .where('slot', '=', slot)
        .where('state', '=', 'running')
        .where('started_at', '<', staleBefore)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return null;
      const row = await db
        .selectFrom('schedule_runs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('slot', '=', slot)
        .executeTakeFirst();
      return row && row.owner === owner ? toRun(row) : null;
    },

    async finish(
      tenantId: string,
      id: string,
      result: { state: 'done' | 'failed'; jobId: string | null; summary: unknown },
    ): Promise<void> {
      await db
        .updateTable('schedule_runs')
        .set({
          state: result.state,
          job_id: result.jobId,
          summary: toJson(result.summary),
          finished_at: now().toISOString(),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    /** The latest runs, newest first. */
    async recent(tenantId: string, limit = 10): Promise<ScheduleRunRow[]> {
      const rows = await db
        .selectFrom('schedule_runs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('slot', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toRun);
    },

    /** Files a run's to-do list; the lists of earlier runs still open are superseded (re-planned now). */
    async fileTodos(tenantId: string, runId: string, todos: readonly NewTodo[]): Promise<void> {
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('schedule_todos')
          .set({ state: 'superseded', updated_at: at })
          .where('tenant_id', '=', tenantId)
          .where('state', '=', 'open')
          .execute();
        for (let i = 0; i < todos.length; i += 200) {
          await trx
            .insertInto('schedule_todos')
            .values(
              todos.slice(i, i + 200).map((t) => ({
                id: randomUUID(),
                tenant_id: tenantId,
                run_id: runId,
                subscription_id: t.subscriptionId,
                agreement_id: t.agreementId,
                line: toJson(t.line),
                reason: t.reason,
                state: 'open',
                created_at: at,
                updated_at: at,
              })),
            )
            .execute();
        }
      });
    },

    async openTodos(tenantId: string): Promise<ScheduleTodoRow[]> {
      const rows = await db
        .selectFrom('schedule_todos')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('state', '=', 'open')
        .orderBy('created_at')
        .orderBy('agreement_id')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        runId: r.run_id,
        subscriptionId: r.subscription_id,
        agreementId: r.agreement_id,
        line: fromJson(r.line),
        reason: r.reason,
        state: r.state as ScheduleTodoState,
        createdAt: r.created_at,
      }));
    },

    /** Dismisses open to-dos of this tenant; returns how many it closed, so a repeat (a double click) closes none. */
    async dismiss(tenantId: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await db
        .updateTable('schedule_todos')
        .set({ state: 'dismissed', updated_at: now().toISOString() })
        .where('tenant_id', '=', tenantId)
        .where('state', '=', 'open')
        .where('id', 'in', ids)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    /**
     * Marks approved the open to-dos of these subscriptions on these agreements: called when a person confirms
     * a bulk review that writes them (not when the review opens). Returns the ids it closed (none on a repeat).
     */
    async approveFor(
      tenantId: string,
      pairs: readonly { subscriptionId: string; agreementId: number }[],
    ): Promise<string[]> {
      const closed: string[] = [];
      for (let i = 0; i < pairs.length; i += 200) {
        const chunk = pairs.slice(i, i + 200);
        const rows = await db
          .updateTable('schedule_todos')
          .set({ state: 'approved', updated_at: now().toISOString() })
          .where('tenant_id', '=', tenantId)
          .where('state', '=', 'open')
          .where((eb) =>
            eb.or(
              chunk.map((p) =>
                eb.and([
                  eb('subscription_id', '=', p.subscriptionId),
                  eb('agreement_id', '=', p.agreementId),
                ]),
              ),
            ),
          )
          .returning('id')
          .execute();
        closed.push(...rows.map((r) => r.id));
      }
      return closed;
    },
  };
}
