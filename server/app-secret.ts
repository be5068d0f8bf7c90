// APP_SECRET at start: the key that seals tenant secrets (with APP_SECRET_PREVIOUS during a rotation), and
// the refusal to start when it cannot open what is stored — found at start, not by a data route's 500.
import type { Env } from './env.ts';
import { checkSecrets, createSecretBox, type Database, deriveKey, type SecretBox } from './store/index.ts';

/** The secret box of APP_SECRET, also opening (never sealing) with APP_SECRET_PREVIOUS when set. */
export function secretBoxOf(appSecret: string, previous: string | undefined): SecretBox {
  return createSecretBox(deriveKey(appSecret, 'secrets'), previous ? [deriveKey(previous, 'secrets')] : []);
}

/** Throws a message naming APP_SECRET (and no secret) when a tenant's stored secrets do not open. */
export async function assertSecretsOpen(
  db: Database,
  box: SecretBox,
  env: Pick<Env, 'APP_SECRET_PREVIOUS'>,
): Promise<void> {
  const { tenants, unopened } = await checkSecrets(db, box);
  if (unopened === 0) return;
  const rotation = env.APP_SECRET_PREVIOUS
    ? 'neither APP_SECRET nor APP_SECRET_PREVIOUS opens them'
    : 'if you are rotating the key, set the old one in APP_SECRET_PREVIOUS';
  throw new Error(
    `APP_SECRET cannot open the stored secrets of ${unopened} of ${tenants} tenant(s): it is not the key ` +
      `they were sealed with (${rotation}). Refusing to start.`,
  );
}
