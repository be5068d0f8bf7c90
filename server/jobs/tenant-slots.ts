// The per-tenant cap on bulk items running at once, held across every process of a cluster: an item takes one
// of the tenant's `cap` slots, leased in the store (lock rows `bulk:slot:<n>`, taken by one atomic statement each),
// renewed while it runs and released after; a crashed holder's slot frees itself when its lease runs out. Within
// a process a semaphore queues the items first, so at most `cap` of them per tenant ask the store for a slot.
import type { Logger } from '../log.ts';
import type { Locks } from '../store/index.ts';

export const SLOT_KEY_PREFIX = 'bulk:slot:';

export type TenantSlotsOptions = {
  locks: Pick<Locks, 'acquire' | 'release'>;
  now: () => Date;
  logger: Logger;
  /** Slots per tenant: items of a tenant running at once across the cluster. */
  cap: number;
  /** A slot's lease; a holder that dies frees it after this (on the injected clock). */
  ttlMs: number;
  /** How often a running item renews its slot (real time, well inside ttlMs). */
  renewMs: number;
  /** How long an item waits before asking again when every slot is held elsewhere (real time). */
  pollMs: number;
};

export type TenantSlots = {
  /**
   * Runs `fn` holding one of the tenant's slots under `owner` (unique per item run). `wanted` is asked before
   * each try while it waits (the runner renews its job's lease there); once false, resolves `undefined` without
   * running `fn` (the runner stopped or lost its job).
   */
  withSlot<T>(
    tenantId: string,
    owner: string,
    fn: () => Promise<T>,
    wanted: () => boolean | Promise<boolean>,
  ): Promise<T | undefined>;
};

type Local = { active: number; waiting: (() => void)[] };

export function createTenantSlots(opts: TenantSlotsOptions): TenantSlots {
  const { locks, now, cap, ttlMs } = opts;
  const local = new Map<string, Local>();
  const pause = () => new Promise<void>((r) => setTimeout(r, opts.pollMs));

  async function enter(tenantId: string): Promise<Local> {
    let s = local.get(tenantId);
    if (!s) {
      s = { active: 0, waiting: [] };
      local.set(tenantId, s);
    }
    const slot = s;
    if (slot.active >= cap) await new Promise<void>((r) => slot.waiting.push(r));
    else slot.active++;
    return slot;
  }

  function leave(slot: Local): void {
    const next = slot.waiting.shift();
    if (next) next();
    else slot.active--;
  }

  /** One of the tenant's slots in the store, or null once not wanted; asks again while all are held. */
  async function take(
    tenantId: string,
    owner: string,
    wanted: () => boolean | Promise<boolean>,
  ): Promise<string | null> {
    while (await wanted()) {
      for (let n = 0; n < cap; n++) {
        const key = `${SLOT_KEY_PREFIX}${n}`;
        if (await locks.acquire(tenantId, key, owner, ttlMs, now())) return key;
      }
      await pause();
    }
    return null;
  }

  return {
    async withSlot(tenantId, owner, fn, wanted) {
      const mine = await enter(tenantId);
      try {
        const key = await take(tenantId, owner, wanted);
        if (key === null) return undefined;
        // Re-acquiring one's own lock extends it; a slot that ran out and was taken meanwhile cannot be called
        // back (the item is mid-write), so it is only logged: the cap is then exceeded by one until this ends.
        const renew = setInterval(() => {
          locks.acquire(tenantId, key, owner, ttlMs, now()).then(
            (held) => {
              if (!held) opts.logger.warn('bulk slot lost while its item ran', { tenantId, key, owner });
            },
            (err: unknown) =>
              opts.logger.warn('bulk slot renewal failed', { tenantId, key, error: (err as Error).message }),
          );
        }, opts.renewMs);
        renew.unref();
        try {
          return await fn();
        } finally {
          clearInterval(renew);
          await locks.release(tenantId, key, owner);
        }
      } finally {
        leave(mine);
      }
    },
  };
}
