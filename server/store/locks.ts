// Per-key locks as rows (e.g. one sync per subscription), safe across processes sharing PostgreSQL:
// one INSERT … ON CONFLICT DO UPDATE … WHERE expired-or-mine, so taking a lock is a single atomic statement.
import type { Database } from './schema.ts';

export type Locks = ReturnType<typeof createLocks>;

export function createLocks(db: Database) {
  /** True when `owner` now holds the lock until now + ttlMs (re-acquiring your own lock extends it). */
  async function acquire(
    tenantId: string,
    key: string,
    owner: string,
    ttlMs: number,
    now: Date,
  ): Promise<boolean> {
    const at = now.toISOString();
    const row = await db
      .insertInto('locks')
      .values({ tenant_id: tenantId, key, owner, expires_at: new Date(now.getTime() + ttlMs).toISOString() })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'key'])
          .doUpdateSet((eb) => ({
            owner: eb.ref('excluded.owner'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where((eb) => eb.or([eb('locks.expires_at', '<=', at), eb('locks.owner', '=', owner)])),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === owner;
  }

  /** Releases only a lock `owner` holds; false when it was not theirs (expired and taken, or never held). */
  async function release(tenantId: string, key: string, owner: string): Promise<boolean> {
    const result = await db
      .deleteFrom('locks')
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  return { acquire, release };
}
