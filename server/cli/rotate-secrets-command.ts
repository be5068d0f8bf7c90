// `npm run rotate-secrets`: re-seals every stored tenant secret under APP_SECRET, opening the old ones with
// APP_SECRET_PREVIOUS. Idempotent (a second run re-seals nothing); afterwards APP_SECRET_PREVIOUS can go.
import { join } from 'node:path';
import { secretBoxOf } from '../app-secret.ts';
import type { Env } from '../env.ts';
import { isAppError } from '../errors.ts';
import { openStore, type ResealReport, resealAll } from '../store/index.ts';

type CliEnv = Pick<Env, 'DATA_DIR' | 'DATABASE_URL' | 'APP_SECRET' | 'APP_SECRET_PREVIOUS'>;

export async function runRotateSecrets(env: CliEnv): Promise<ResealReport> {
  if (!env.APP_SECRET) throw new Error('APP_SECRET is required: the new key to seal every secret with');
  const store = await openStore(
    env.DATABASE_URL ? { postgresUrl: env.DATABASE_URL } : { sqlitePath: join(env.DATA_DIR, 'pod.sqlite') },
  );
  try {
    return await resealAll(store.db, secretBoxOf(env.APP_SECRET, env.APP_SECRET_PREVIOUS));
  } catch (error) {
    if (!isAppError(error)) throw error;
    // A secret that neither key opens: nothing was written (resealAll opens everything first).
    throw new Error(
      'Some stored secrets open with neither APP_SECRET nor APP_SECRET_PREVIOUS: nothing was re-sealed. ' +
        'Set APP_SECRET_PREVIOUS to the key they were sealed with.',
      { cause: error },
    );
  } finally {
    await store.close();
  }
}

export function formatRotation(report: ResealReport): string {
  return [
    `Re-sealed the secrets of ${report.resealed} tenant(s) under APP_SECRET; ${report.current} already were (${report.tenants} in all).`,
    'Every stored secret now opens with APP_SECRET alone: APP_SECRET_PREVIOUS can be removed.',
  ].join('\n');
}
