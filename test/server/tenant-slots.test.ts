// The tenant slots' lease: a running item renews its slot, so a long item keeps it past the lease's first expiry
// and another process cannot take it; a waiting item gives up once it is no longer wanted; tenants do not share
// slots. Two slot sets on one in-memory store stand for two processes, on a clock the test moves.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTenantSlots, SLOT_KEY_PREFIX } from '../../server/jobs/tenant-slots.ts';
import { silentLogger } from '../../server/log.ts';
import { createRepositories, createSecretBox, openStore, type Store } from '../../server/store/index.ts';

let store: Store;
let clock: Date;
const TTL = 1_000;

beforeEach(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
  clock = new Date('2026-01-15T12:00:00Z');
});
afterEach(() => store.close());

function proc(renewMs: number) {
  const repos = createRepositories(store.db, createSecretBox(new Uint8Array(32).fill(7)), () => clock);
  return {
    repos,
    slots: createTenantSlots({
      locks: repos.locks,
      now: () => clock,
      logger: silentLogger,
      cap: 1,
      ttlMs: TTL,
      renewMs,
      pollMs: 2,
    }),
  };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tenant slots', () => {
  it('a running item renews its slot, so another process cannot take it past the first lease', async () => {
    const a = proc(5);
    const b = proc(5);
    let release = () => {};
    const holding = a.slots.withSlot(
      't1',
      'a:item',
      () => new Promise<void>((r) => (release = r)),
      () => true,
    );
    await tick(20);
    // Past the first lease (1 s on the clock): the holder renewed meanwhile, so B still finds the slot held.
    clock = new Date(clock.getTime() + 800);
    await tick(30);
    clock = new Date(clock.getTime() + 800);
    let ran = false;
    const waiting = b.slots.withSlot(
      't1',
      'b:item',
      async () => {
        ran = true;
      },
      () => true,
    );
    await tick(30);
    expect(ran).toBe(false);
    release();
    await holding;
    await waiting;
    expect(ran).toBe(true);
    expect(
      await store.db.selectFrom('locks').select('key').where('key', 'like', `${SLOT_KEY_PREFIX}%`).execute(),
    ).toEqual([]);
  });

  it('without renewal the lease runs out and another process takes the slot (as a dead holder’s)', async () => {
    const a = proc(60_000);
    const b = proc(60_000);
    let release = () => {};
    const holding = a.slots.withSlot(
      't1',
      'a:item',
      () => new Promise<void>((r) => (release = r)),
      () => true,
    );
    await tick(20);
    clock = new Date(clock.getTime() + 1_600);
    let ran = false;
    await b.slots.withSlot(
      't1',
      'b:item',
      async () => {
        ran = true;
      },
      () => true,
    );
    expect(ran).toBe(true);
    release();
    await holding;
  });

  it('a waiting item gives up once it is no longer wanted; another tenant has its own slots', async () => {
    const a = proc(5);
    const b = proc(5);
    let release = () => {};
    const holding = a.slots.withSlot(
      't1',
      'a:item',
      () => new Promise<void>((r) => (release = r)),
      () => true,
    );
    await tick(10);
    let wanted = true;
    const waiting = b.slots.withSlot(
      't1',
      'b:item',
      async () => 'ran',
      () => wanted,
    );
    expect(
      await b.slots.withSlot(
        't2',
        'b:other',
        async () => 'other tenant ran',
        () => true,
      ),
    ).toBe('other tenant ran');
    wanted = false;
    expect(await waiting).toBeUndefined();
    release();
    await holding;
  });
});
