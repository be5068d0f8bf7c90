// /api/schedule: the scheduled sync as the board shows it — the setting and the next run, the latest runs'
// summaries (with their auto-apply job's progress), and the open to-do list; to-dos are dismissed here. A to-do
// is approved only when a bulk review that writes it is confirmed (POST /api/bulk/jobs), not when it is opened. The setting itself is saved with the others (PATCH /api/setup/settings).
import { Hono } from 'hono';
import * as v from 'valibot';
import { jsonBody } from '../http/validate.ts';
import { nextSlot } from '../schedule/due.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';

export const CloseTodosSchema = v.strictObject({
  ids: v.pipe(
    v.array(v.pipe(v.string(), v.uuid('each id must be a to-do id (uuid)'))),
    v.minLength(1, 'choose at least one to-do'),
    v.maxLength(5_000, 'at most 5000 to-dos at once'),
  ),
  as: v.literal(
    'dismissed',
    "must be 'dismissed' (a to-do is approved by confirming the bulk review that writes it)",
  ),
});

export function scheduleRoutes(deps: ApiContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .get('/', async (c) => {
      const tenantId = c.var.session.tenantId;
      const tenant = await deps.repos.tenants.get(tenantId);
      const schedule = tenant?.settings.schedule ?? null;
      const runs = await deps.repos.scheduleRuns.recent(tenantId);
      const withJobs = await Promise.all(
        runs.map(async (r) => {
          const job = r.jobId ? await deps.repos.bulkJobs.get(tenantId, r.jobId) : null;
          const items = job ? await deps.repos.bulkJobs.items(tenantId, job.id) : [];
          return {
            id: r.id,
            slot: r.slot,
            state: r.state,
            startedAt: r.startedAt,
            finishedAt: r.finishedAt,
            summary: r.summary,
            job: job
              ? {
                  id: job.id,
                  state: job.state,
                  total: job.total,
                  done: items.filter((i) => i.state === 'done').length,
                  failed: items.filter((i) => i.state === 'failed').length,
                }
              : null,
          };
        }),
      );
      const todos = await deps.repos.scheduleRuns.openTodos(tenantId);
      return c.json({
        schedule,
        nextRunAt: schedule?.enabled ? nextSlot(deps.now(), schedule) : null,
        runs: withJobs,
        todos: todos.map((t) => ({
          id: t.id,
          runId: t.runId,
          subscriptionId: t.subscriptionId,
          agreementId: t.agreementId,
          reason: t.reason,
          line: t.line,
        })),
      });
    })
    .post('/todos/close', async (c) => {
      const body = await jsonBody(c, CloseTodosSchema);
      const session = c.var.session;
      const closed = await deps.repos.scheduleRuns.dismiss(session.tenantId, body.ids);
      if (closed > 0) {
        await deps.repos.audit.append(session.tenantId, {
          actor: session.memberId,
          action: `schedule.todos.${body.as}`,
          target: `tenant:${session.tenantId}`,
          before: null,
          after: { ids: body.ids, closed },
        });
      }
      return c.json({ closed });
    });
}
