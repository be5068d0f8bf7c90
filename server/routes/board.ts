// /api/board: the reconciliation board (issue 11 items 1 and 5). Reads answer from the kept board at once; a
// recompute and Pax8's change reports start background work and answer 202.
import { Hono } from 'hono';
import * as v from 'valibot';
import { boardCsv, leakageCsv } from '../board/csv.ts';
import { type BoardSnapshot, boardServiceOf } from '../board/index.ts';
import { leakageOf, monthsOf } from '../board/leakage.ts';
import { BoardQuerySchema, filterRows, pageBoard, sortRows } from '../board/query.ts';
import { AppError } from '../errors.ts';
import { jsonBody, queryOf } from '../http/validate.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';

const Uuid = v.pipe(v.string(), v.uuid('must be a Pax8 subscription id (uuid)'));
const CompanyId = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(100, 'is too long'));

/** Pax8 reports changes (a webhook relay or a poll): the subscriptions or companies to judge again. */
export const ChangesSchema = v.pipe(
  v.strictObject({
    subscriptionIds: v.optional(v.pipe(v.array(Uuid), v.maxLength(1000, 'must list at most 1000'))),
    pax8CompanyIds: v.optional(v.pipe(v.array(CompanyId), v.maxLength(1000, 'must list at most 1000'))),
  }),
  v.check(
    (b) => (b.subscriptionIds?.length ?? 0) + (b.pax8CompanyIds?.length ?? 0) > 0,
    'must name at least one subscription or company',
  ),
);

const MonthQuerySchema = v.strictObject({
  month: v.pipe(v.string(), v.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')),
});

/** What every board answer says about itself: when, how many, and whether work is under way. */
function headOf(snap: BoardSnapshot) {
  const onBoard = snap.rows.length;
  const s = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  const statement =
    snap.computedAt === null
      ? 'The board is being computed for the first time.'
      : snap.subscriptions === 0
        ? 'No subscriptions were read from Pax8, so nothing was checked. An empty board does not mean everything is billed.'
        : `Checked ${s(snap.subscriptions, 'Pax8 subscription', 'Pax8 subscriptions')} of ${s(snap.companies, 'company', 'companies')}: ` +
          `${s(onBoard, 'is', 'are')} on a bound company.`;
  return {
    computedAt: snap.computedAt,
    refreshedAt: snap.refreshedAt,
    recomputing: snap.recomputing,
    refreshing: snap.refreshing,
    lastError: snap.lastError,
    marginFloorPercent: snap.marginFloorPercent,
    checked: { subscriptions: snap.subscriptions, companies: snap.companies, onBoard, statement },
    months: monthsOf(snap.rows),
  };
}

function csvResponse(body: string, name: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  });
}

export function boardRoutes(deps: ApiContext): Hono<ApiEnv> {
  const service = boardServiceOf(deps);
  const snapshot = async (c: { var: { session: ApiEnv['Variables']['session'] } }) =>
    service.get(await syncContextOf(deps, c.var.session));
  const monthOf = (snap: BoardSnapshot, month: string) => {
    if (!monthsOf(snap.rows).includes(month)) {
      throw new AppError(
        'bad_request',
        `Invalid query: month: the board judges ${monthsOf(snap.rows).join(', ') || 'no month yet'}`,
      );
    }
    return month;
  };
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .get('/', async (c) => {
      const query = queryOf(c, BoardQuerySchema);
      const snap = await snapshot(c);
      return c.json({ ...headOf(snap), ...pageBoard(snap.rows, query) });
    })
    .get('/selection', async (c) => {
      // "Select everything out of step" under the current filters, without paging every row to the browser.
      const { limit: _l, offset: _o, ...query } = queryOf(c, BoardQuerySchema);
      const snap = await snapshot(c);
      const rows = sortRows(
        filterRows(snap.rows, { ...query, status: query.status ?? 'out_of_step' }),
        query.sort,
      );
      // The bulk review cannot sync a row whose product or company is not bound: left out, counted and said.
      const leftOut = { product_not_bound: 0, company_not_bound: 0 };
      const items = [];
      for (const r of rows) {
        if (r.status === 'product_not_bound' || r.status === 'company_not_bound') {
          leftOut[r.status]++;
          continue;
        }
        items.push({
          subscriptionId: r.subscriptionId,
          agreementId: r.agreementId,
          companyId: r.cwCompanyId,
          belowMarginFloor: r.belowMarginFloor,
        });
      }
      return c.json({ items, leftOut });
    })
    .get('/export.csv', async (c) => {
      const { limit: _l, offset: _o, ...query } = queryOf(c, BoardQuerySchema);
      const snap = await snapshot(c);
      return csvResponse(boardCsv(sortRows(filterRows(snap.rows, query), query.sort)), 'pax8-board.csv');
    })
    .get('/leakage', async (c) => {
      const { month } = queryOf(c, MonthQuerySchema);
      const snap = await snapshot(c);
      return c.json({ ...headOf(snap), month, customers: leakageOf(snap.rows, monthOf(snap, month)) });
    })
    .get('/leakage.csv', async (c) => {
      const { month } = queryOf(c, MonthQuerySchema);
      const snap = await snapshot(c);
      return csvResponse(leakageCsv(leakageOf(snap.rows, monthOf(snap, month))), `pax8-leakage-${month}.csv`);
    })
    .post('/recompute', async (c) => {
      const ctx = await syncContextOf(deps, c.var.session);
      service.recompute(ctx);
      return c.json(headOf(await service.get(ctx)), 202);
    })
    .post('/changes', async (c) => {
      const body = await jsonBody(c, ChangesSchema);
      const ctx = await syncContextOf(deps, c.var.session);
      await service.touch(ctx, body);
      return c.json(headOf(await service.get(ctx)), 202);
    });
}
