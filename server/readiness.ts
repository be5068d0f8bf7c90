// GET /ready, beside /health (which only says the process answers): is this process fit to take traffic —
// the store reachable, and the stored secrets open with this APP_SECRET. Says which check failed, no more.
import { sql } from 'kysely';
import { checkSecrets, type Database, type SecretBox } from './store/index.ts';

export type CheckName = 'store' | 'secrets';
export type Readiness = { ready: boolean; checks: Record<CheckName, 'ok' | 'failed' | 'not checked'> };

/** How long the store may take to answer before it counts as unreachable. */
const STORE_TIMEOUT_MS = 2000;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function readinessOf(db: Database, box: SecretBox): () => Promise<Readiness> {
  // /ready is unauthenticated and never shed: a probe decrypts only the secrets not yet opened by this box.
  const opened = new Map<string, string>();
  return async () => {
    try {
      await within(STORE_TIMEOUT_MS, sql`select 1`.execute(db));
    } catch {
      return { ready: false, checks: { store: 'failed', secrets: 'not checked' } };
    }
    try {
      const { unopened } = await within(STORE_TIMEOUT_MS, checkSecrets(db, box, opened));
      const secrets = unopened === 0 ? 'ok' : 'failed';
      return { ready: secrets === 'ok', checks: { store: 'ok', secrets } };
    } catch {
      return { ready: false, checks: { store: 'failed', secrets: 'not checked' } };
    }
  };
}
