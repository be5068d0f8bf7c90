// The board module boundary: one service per API context (per app), like the client cache.
import type { ApiContext } from '../routes/deps.ts';
import type { SyncContext } from '../sync-context.ts';
import { type BoardService, createBoardService } from './service.ts';

export type { BoardService, BoardSnapshot } from './service.ts';
export type * from './types.ts';

const services = new WeakMap<ApiContext, BoardService>();

export function boardServiceOf(deps: ApiContext): BoardService {
  let service = services.get(deps);
  if (!service) {
    service = createBoardService({ store: deps.repos.board, now: deps.now, logger: deps.logger });
    services.set(deps, service);
  }
  return service;
}

/** The hook a sync, a seat change, an ignore or a binding calls: refresh what it touched, in the background. */
export function touchBoard(
  deps: ApiContext,
  ctx: SyncContext,
  changed: {
    subscriptionIds?: readonly string[] | undefined;
    pax8CompanyIds?: readonly string[] | undefined;
    pax8ProductIds?: readonly string[] | undefined;
  },
): void {
  void boardServiceOf(deps).touch(ctx, changed);
}
