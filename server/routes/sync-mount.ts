// Mounts the sync-side routers on /api: one call from createApi keeps its edits to one line.
import type { Hono } from 'hono';
import { mountAuditRoutes } from './audit.ts';
import { bindingRoutes } from './bindings.ts';
import { boardRoutes } from './board.ts';
import { bulkRoutes } from './bulk.ts';
import type { ApiContext } from './deps.ts';
import { pax8CompanyRoutes } from './pax8-companies.ts';
import { catalogRoutes, productRoutes } from './products.ts';
import { scheduleRoutes } from './schedule.ts';
import { subscriptionRoutes, syncRoutes } from './sync.ts';
import { viewRoutes } from './views.ts';

export function mountSyncRoutes(ctx: ApiContext, api: Hono): void {
  api.route('/sync', syncRoutes(ctx));
  api.route('/subscriptions', subscriptionRoutes(ctx));
  api.route('/bulk', bulkRoutes(ctx));
  api.route('/views', viewRoutes(ctx));
  api.route('/bindings', bindingRoutes(ctx));
  api.route('/catalog', catalogRoutes(ctx));
  api.route('/products', productRoutes(ctx));
  api.route('/pax8/companies', pax8CompanyRoutes(ctx));
  api.route('/board', boardRoutes(ctx));
  api.route('/schedule', scheduleRoutes(ctx));
  mountAuditRoutes(ctx, api); // audit (unsynced list, ignore/restore) and companies
}
