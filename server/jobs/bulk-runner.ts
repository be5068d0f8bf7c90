// Runs bulk jobs server-side: a job is leased by one runner (bulk-jobs.ts), its open items run a few at a time
// per tenant across the cluster (slots leased in the store, gentle with ConnectWise), each item's result is
// stored as it ends, and items that must wait (an unknown write outcome, a held lock, a busy upstream) are run
// again when their time comes. A runner that dies leaves its lease to run out; resume() — at start, or from the
// queue (pg-boss) — picks unfinished jobs up.
// A scheduled sync enqueues the same way: save a job (repos.bulkJobs.create) and call enqueue.
import { randomUUID } from 'node:crypto';
import { touchBoard } from '../board/index.ts';
import type { ApiContext } from '../routes/deps.ts';
import type { BulkItemRow } from '../store/index.ts';
import { limitsOf } from '../sync/limits.ts';
import { tenantSyncContext } from '../sync-context.ts';
import { type ItemPayload, nextAfter, runItem } from './bulk-items.ts';
import { createTenantSlots } from './tenant-slots.ts';

type Open = Pick<BulkItemRow, 'seq' | 'state' | 'notBefore' | 'attempts'>;

/** A runner's hold on a job; extended after every item and every pause. */
export const JOB_LEASE_MS = 60_000;
/**
 * Items of one tenant run at once across the cluster (each makes a few ConnectWise calls in a row): every process
 * takes its slots from the store (tenant-slots.ts).
 */
export const TENANT_CONCURRENCY = 4;
/** A slot's lease: a process that dies holding one frees it after this; a running item renews it. */
export const SLOT_TTL_MS = 60_000;
/** How soon an item asks again for a slot when the tenant's are all held (by other processes). */
const SLOT_POLL_MS = 200;
/** The longest single pause; a longer wait is slept in steps so the lease stays held. */
const MAX_PAUSE_MS = 30_000;

/** How a run of a job ended: finished (or already done), or another live runner holds it (try later). */
export type RunOutcome = 'finished' | 'busy' | 'stopped';

export type BulkRunner = {
  readonly owner: string;
  /** Runs the job here until it ends (the queue's handler awaits this). */
  run(tenantId: string, jobId: string): Promise<RunOutcome>;
  /** Runs the job in this process, unless it already runs here (or another live runner holds it). */
  enqueue(tenantId: string, jobId: string): void;
  /** Enqueues every unfinished job of every tenant (after a restart). */
  resume(): Promise<void>;
  /** Resolves when nothing runs here (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops taking items; running items finish. */
  stop(): void;
};

export function createBulkRunner(
  ctx: ApiContext,
  opts: { owner?: string; concurrency?: number; leaseMs?: number; slotPollMs?: number } = {},
): BulkRunner {
  const owner = opts.owner ?? `runner:${randomUUID()}`;
  const leaseMs = opts.leaseMs ?? JOB_LEASE_MS;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const running = new Map<string, Promise<RunOutcome>>();
  const slots = createTenantSlots({
    locks: ctx.repos.locks,
    now: ctx.now,
    logger: ctx.logger,
    cap: opts.concurrency ?? TENANT_CONCURRENCY,
    ttlMs: SLOT_TTL_MS,
    renewMs: SLOT_TTL_MS / 3,
    pollMs: opts.slotPollMs ?? SLOT_POLL_MS,
  });
  let stopped = false;

  async function runJob(tenantId: string, jobId: string): Promise<RunOutcome> {
    const jobs = ctx.repos.bulkJobs;
    if (!(await jobs.lease(tenantId, jobId, owner, leaseMs))) {
      const job = await jobs.get(tenantId, jobId);
      return !job || job.state === 'done' ? 'finished' : 'busy';
    }
    const job = await jobs.get(tenantId, jobId);
    if (!job) return 'finished';
    const sc = await tenantSyncContext(ctx, tenantId);
    const itemCtx = {
      store: sc.store,
      upstream: sc.upstream,
      now: ctx.now,
      actor: { memberId: job.memberId, memberName: job.memberName },
      limits: limitsOf(sc.tenant.settings),
      owner,
      jobId,
    };
    let lost = false;
    let renewedAt = ctx.now().getTime();
    const renew = async () => {
      renewedAt = ctx.now().getTime();
      if (!lost && !(await jobs.lease(tenantId, jobId, owner, leaseMs))) lost = true;
      return !lost;
    };
    /** Items waiting for a slot (all held by other processes) keep the job's lease, renewed now and then. */
    const wanted = async () => {
      if (!stopped && !lost && ctx.now().getTime() - renewedAt >= leaseMs / 3) await renew();
      return !stopped && !lost;
    };

    async function one(open: Open): Promise<void> {
      if (stopped || lost) return;
      const item = await jobs.item(tenantId, jobId, open.seq);
      if (!item || (item.state !== 'pending' && item.state !== 'waiting')) return;
      try {
        const result = await runItem(itemCtx, item.seq, item.payload as ItemPayload);
        await jobs.updateItem(tenantId, jobId, item.seq, {
          state: 'done',
          result,
          error: null,
          notBefore: null,
        });
      } catch (err) {
        const next = nextAfter(err, item.attempts, ctx.now());
        if ('failed' in next) {
          await jobs.updateItem(tenantId, jobId, item.seq, { state: 'failed', error: next.failed });
        } else {
          await jobs.updateItem(tenantId, jobId, item.seq, {
            state: 'waiting',
            notBefore: next.retryAt.toISOString(),
            attempts: item.attempts + (next.counts ? 1 : 0),
            error: { code: (err as { code?: string }).code ?? 'internal', message: (err as Error).message },
          });
        }
      }
      // The board reads this subscription's company again, so it shows what the item wrote (or undid); a
      // failed item may have written part of its lines, so it is read again too.
      touchBoard(ctx, sc, { subscriptionIds: [subscriptionOf(item.payload as ItemPayload)] });
      await renew();
    }

    while (!stopped && !lost) {
      const open = (await jobs.items(tenantId, jobId)).filter(
        (i) => i.state === 'pending' || i.state === 'waiting',
      );
      if (open.length === 0) {
        await jobs.finish(tenantId, jobId, owner);
        return 'finished';
      }
      const at = ctx.now().getTime();
      const ready = open.filter((i) => i.notBefore === null || Date.parse(i.notBefore) <= at);
      if (ready.length === 0) {
        const soonest = Math.min(...open.map((i) => Date.parse(i.notBefore as string)));
        await sleep(Math.min(Math.max(soonest - at, 1), MAX_PAUSE_MS));
        if (!(await renew())) return 'busy';
        continue;
      }
      await Promise.all(
        ready.map((item) =>
          slots.withSlot(tenantId, `${owner}:${jobId}:${item.seq}`, () => one(item), wanted),
        ),
      );
    }
    return lost ? 'busy' : 'stopped';
  }

  /** One run of a job in this process at a time; a second caller shares it. */
  function run(tenantId: string, jobId: string): Promise<RunOutcome> {
    const current = running.get(jobId);
    if (current) return current;
    const started = runJob(tenantId, jobId).finally(() => running.delete(jobId));
    running.set(jobId, started);
    return started;
  }

  function enqueue(tenantId: string, jobId: string): void {
    if (stopped || running.has(jobId)) return;
    run(tenantId, jobId).catch((err: unknown) => {
      ctx.logger.error('bulk job failed to run', { jobId, error: (err as Error).message });
    });
  }

  return {
    owner,
    run,
    enqueue,
    async resume() {
      for (const job of await ctx.repos.bulkJobs.unfinished()) enqueue(job.tenantId, job.id);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    stop() {
      stopped = true;
    },
  };
}

const subscriptionOf = (p: ItemPayload): string =>
  p.type === 'apply' ? p.plan.subscriptionId : p.line.subscriptionId;

/** One runner per API context (one per server process), made on first use. */
const runners = new WeakMap<ApiContext, BulkRunner>();

export function bulkRunnerOf(ctx: ApiContext): BulkRunner {
  let runner = runners.get(ctx);
  if (!runner) {
    runner = createBulkRunner(ctx);
    runners.set(ctx, runner);
  }
  return runner;
}
