// The stored secrets as a whole: can this APP_SECRET open them (checked at start and by /ready), and
// re-sealing every one under the current key after a rotation (npm run rotate-secrets).
import type { Database } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import { sealContext } from './tenants.ts';

export type SecretsCheck = { tenants: number; unopened: number };

/**
 * Opens one sealed value per tenant (its ConnectWise private key); counts the tenants it could not open.
 * `opened` (tenant id → the sealed text that opened), when given, skips what this box already opened and
 * remembers what it opens: /ready asks at every probe, and a value that opened once opens again.
 */
export async function checkSecrets(
  db: Database,
  box: SecretBox,
  opened?: Map<string, string>,
): Promise<SecretsCheck> {
  const rows = await db.selectFrom('tenants').select(['id', 'cw_private_key']).execute();
  let unopened = 0;
  for (const row of rows) {
    if (opened?.get(row.id) === row.cw_private_key) continue;
    try {
      box.open(row.cw_private_key, sealContext(row.id, 'cwPrivateKey'));
      opened?.set(row.id, row.cw_private_key);
    } catch {
      unopened += 1;
    }
  }
  if (opened && opened.size > rows.length) {
    const ids = new Set(rows.map((row) => row.id));
    for (const id of opened.keys()) if (!ids.has(id)) opened.delete(id);
  }
  return { tenants: rows.length, unopened };
}

export type ResealReport = { tenants: number; resealed: number; current: number };

/**
 * Re-seals every tenant secret that only a previous key opens under the current key. Everything is opened
 * first, so a secret no key opens stops the run before any row is written; a second run re-seals nothing.
 */
export async function resealAll(db: Database, box: SecretBox): Promise<ResealReport> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('tenants')
      .select(['id', 'cw_private_key', 'pax8_client_secret'])
      .orderBy('id')
      .execute();
    const stale = rows.filter((row) => {
      const cw = box.needsReseal(row.cw_private_key, sealContext(row.id, 'cwPrivateKey'));
      const pax8 = box.needsReseal(row.pax8_client_secret, sealContext(row.id, 'pax8ClientSecret'));
      return cw || pax8;
    });
    for (const row of stale) {
      const cwContext = sealContext(row.id, 'cwPrivateKey');
      const pax8Context = sealContext(row.id, 'pax8ClientSecret');
      await trx
        .updateTable('tenants')
        .set({
          cw_private_key: box.seal(box.open(row.cw_private_key, cwContext), cwContext),
          pax8_client_secret: box.seal(box.open(row.pax8_client_secret, pax8Context), pax8Context),
        })
        .where('id', '=', row.id)
        .execute();
    }
    return { tenants: rows.length, resealed: stale.length, current: rows.length - stale.length };
  });
}
