// APP_SECRET at start and in rotation: a wrong key refuses to start (naming APP_SECRET, exit 1); /ready
// says which check fails; APP_SECRET_PREVIOUS opens the old secrets while new ones are sealed with the new
// key; `npm run rotate-secrets` re-seals them all, idempotently, after which the previous key can go.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { secretBoxOf } from '../../server/app-secret.ts';
import { formatRotation, runRotateSecrets } from '../../server/cli/rotate-secrets-command.ts';
import { readEnv } from '../../server/env.ts';
import { silentLogger } from '../../server/log.ts';
import { readinessOf } from '../../server/readiness.ts';
import { createRuntime } from '../../server/runtime.ts';
import { createSessionSigner } from '../../server/session/jwt.ts';
import {
  createRepositories,
  deriveKey,
  openStore,
  resealAll,
  type Store,
  type TenantInput,
} from '../../server/store/index.ts';

const OLD = 'old-app-secret-0123456789abcdefghijklmnop';
const NEW = 'new-app-secret-0123456789abcdefghijklmnop';
const root = resolve(import.meta.dirname, '../..');
/** The runtimes' clock (live mode: the product's now). */
const fixedNow = new Date('2026-11-25T12:00:00Z');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pod-secrets-'));
  dirs.push(dir);
  return dir;
};

const tenant = (companyId: string, secret: string): TenantInput => ({
  name: companyId,
  cwSite: 'na.myconnectwise.net',
  cwCompanyId: companyId,
  cwRegion: 'na',
  cwClientId: 'client',
  cwPublicKey: 'pub',
  cwPrivateKey: `cw-private-${secret}`,
  pax8ClientId: 'pax8',
  pax8ClientSecret: `pax8-secret-${secret}`,
});

const liveEnv = (dir: string, secrets: Record<string, string>) =>
  readEnv({ SANDBOX: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', ...secrets });

async function runtimeWith(dir: string, secrets: Record<string, string>) {
  return createRuntime(liveEnv(dir, secrets), { logger: silentLogger, now: () => fixedNow });
}

describe('a wrong APP_SECRET', () => {
  it('refuses to start with a message naming APP_SECRET (and no secret)', async () => {
    const dir = dataDir();
    const first = await runtimeWith(dir, { APP_SECRET: OLD });
    await first.ctx.repos.tenants.upsert(tenant('acme', 'a'));
    await first.close();
    const error = await runtimeWith(dir, { APP_SECRET: NEW }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toBe(
      'APP_SECRET cannot open the stored secrets of 1 of 1 tenant(s): it is not the key they were sealed ' +
        'with (if you are rotating the key, set the old one in APP_SECRET_PREVIOUS). Refusing to start.',
    );
    expect(error?.message).not.toContain(NEW.slice(0, 10));
  });

  it('makes the server process exit with status 1, naming APP_SECRET on stderr', async () => {
    const dir = dataDir();
    const first = await runtimeWith(dir, { APP_SECRET: OLD });
    await first.ctx.repos.tenants.upsert(tenant('acme', 'a'));
    await first.close();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, SANDBOX: '0', DATA_DIR: dir, APP_SECRET: NEW, PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('APP_SECRET cannot open the stored secrets of 1 of 1 tenant(s)');
    expect(run.stdout + run.stderr).not.toContain(NEW);
  }, 60_000);
});

describe('GET /ready', () => {
  it('200 when the store answers and the secrets open; 503 naming the failed check, with Retry-After', async () => {
    const dir = dataDir();
    const runtime = await runtimeWith(dir, { APP_SECRET: OLD });
    try {
      await runtime.ctx.repos.tenants.upsert(tenant('acme', 'a'));
      const ok = await runtime.app.request('/ready');
      expect([ok.status, await ok.json()]).toEqual([
        200,
        { ready: true, checks: { store: 'ok', secrets: 'ok' } },
      ]);

      // A row sealed under another key (as a process with another APP_SECRET would write it).
      const foreign = createRepositories(runtime.store.db, secretBoxOf(NEW, undefined));
      await foreign.tenants.upsert(tenant('beta', 'b'));
      const bad = await runtime.app.request('/ready');
      expect(bad.status).toBe(503);
      expect(bad.headers.get('retry-after')).toBe('5');
      const body = await bad.text();
      expect(JSON.parse(body)).toEqual({
        ready: false,
        failed: ['secrets'],
        checks: { store: 'ok', secrets: 'failed' },
      });
      expect(body).not.toMatch(/secret-b|private-b/);
    } finally {
      await runtime.close();
    }
    // The store closed under it: unreachable.
    const gone = await runtime.app.request('/ready');
    expect([gone.status, (await gone.json()).failed]).toEqual([503, ['store']]);
  });
});

describe('GET /ready at every probe', () => {
  it('decrypts only the secrets it has not opened yet (unauthenticated, never shed), and still sees a new foreign one', async () => {
    const dir = dataDir();
    const store = await openStore({ sqlitePath: join(dir, 'pod.sqlite') });
    try {
      const box = secretBoxOf(OLD, undefined);
      const repos = createRepositories(store.db, box);
      for (const id of ['a', 'b', 'c']) await repos.tenants.upsert(tenant(`acme-${id}`, id));
      let opens = 0;
      const counting = {
        ...box,
        open: (sealed: string, context?: string) => {
          opens++;
          return box.open(sealed, context);
        },
      };
      const ready = readinessOf(store.db, counting);
      expect((await ready()).ready).toBe(true);
      expect(opens).toBe(3);
      for (let i = 0; i < 5; i++) expect((await ready()).ready).toBe(true);
      expect(opens).toBe(3);

      await createRepositories(store.db, secretBoxOf(NEW, undefined)).tenants.upsert(tenant('beta', 'x'));
      expect(await ready()).toEqual({ ready: false, checks: { store: 'ok', secrets: 'failed' } });
      expect(opens).toBe(4);
    } finally {
      await store.close();
    }
  });
});

describe('rotation on SQLite', () => {
  it('APP_SECRET_PREVIOUS opens the old secrets; rotate-secrets re-seals them once; then the old key can go', async () => {
    const dir = dataDir();
    const before = await runtimeWith(dir, { APP_SECRET: OLD });
    const acme = await before.ctx.repos.tenants.upsert(tenant('acme', 'a'));
    await before.close();

    const during = await runtimeWith(dir, { APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD });
    const beta = await during.ctx.repos.tenants.upsert(tenant('beta', 'b'));
    expect(await during.ctx.repos.tenants.secrets(acme.id)).toEqual({
      cwPrivateKey: 'cw-private-a',
      pax8ClientSecret: 'pax8-secret-a',
    });
    expect((await during.app.request('/ready')).status).toBe(200);
    // Decision (README): a session signed under the old key is not accepted; the pod signs in again on the 401.
    const oldSigner = createSessionSigner({
      key: deriveKey(OLD, 'sessions'),
      issuer: 'pax8-cw-pod',
      audience: 'pax8-cw-pod/api',
      ttlSeconds: 900,
      now: () => fixedNow,
    });
    const newSigner = createSessionSigner({
      key: deriveKey(NEW, 'sessions'),
      issuer: 'pax8-cw-pod',
      audience: 'pax8-cw-pod/api',
      ttlSeconds: 900,
      now: () => fixedNow,
    });
    const session = { tenantId: acme.id, memberId: 'jsmith', memberName: 'Jane Smith' };
    const asOld = await during.app.request('/api/setup', {
      headers: { authorization: `Bearer ${(await oldSigner.sign(session)).token}` },
    });
    const asNew = await during.app.request('/api/setup', {
      headers: { authorization: `Bearer ${(await newSigner.sign(session)).token}` },
    });
    expect([asOld.status, asNew.status]).toEqual([401, 200]);
    await during.close();

    const env = liveEnv(dir, { APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD });
    const first = await runRotateSecrets(env);
    expect(first).toEqual({ tenants: 2, resealed: 1, current: 1 });
    expect(formatRotation(first)).toBe(
      'Re-sealed the secrets of 1 tenant(s) under APP_SECRET; 1 already were (2 in all).\n' +
        'Every stored secret now opens with APP_SECRET alone: APP_SECRET_PREVIOUS can be removed.',
    );
    expect(await runRotateSecrets(env)).toEqual({ tenants: 2, resealed: 0, current: 2 });

    const after = await runtimeWith(dir, { APP_SECRET: NEW });
    try {
      expect(await after.ctx.repos.tenants.secrets(acme.id)).toEqual({
        cwPrivateKey: 'cw-private-a',
        pax8ClientSecret: 'pax8-secret-a',
      });
      expect((await after.ctx.repos.tenants.secrets(beta.id))?.cwPrivateKey).toBe('cw-private-b');
    } finally {
      await after.close();
    }
    // And the old key alone no longer opens them.
    await expect(runtimeWith(dir, { APP_SECRET: OLD })).rejects.toThrow(/of 2 of 2 tenant/);
  });

  it('refuses to rotate when a secret opens with neither key, and writes nothing', async () => {
    const dir = dataDir();
    const before = await runtimeWith(dir, { APP_SECRET: OLD });
    await before.ctx.repos.tenants.upsert(tenant('acme', 'a'));
    await before.close();
    const third = 'third-app-secret-0123456789abcdefghijklmn';
    await expect(
      runRotateSecrets(liveEnv(dir, { APP_SECRET: NEW, APP_SECRET_PREVIOUS: third })),
    ).rejects.toThrow(
      'Some stored secrets open with neither APP_SECRET nor APP_SECRET_PREVIOUS: nothing was re-sealed.',
    );
    const still = await runtimeWith(dir, { APP_SECRET: OLD });
    await still.close();
  });
});

async function roundTrip(store: Store): Promise<void> {
  const old = createRepositories(store.db, secretBoxOf(OLD, undefined));
  const a = await old.tenants.upsert(tenant(`a${randomUUID().slice(0, 6)}`, 'a'));
  const during = secretBoxOf(NEW, OLD);
  expect(await resealAll(store.db, during)).toEqual({ tenants: 1, resealed: 1, current: 0 });
  expect(await resealAll(store.db, during)).toEqual({ tenants: 1, resealed: 0, current: 1 });
  const fresh = createRepositories(store.db, secretBoxOf(NEW, undefined));
  expect((await fresh.tenants.secrets(a.id))?.pax8ClientSecret).toBe('pax8-secret-a');
}

const pgUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!pgUrl)('rotation on PostgreSQL (TEST_DATABASE_URL)', () => {
  it('re-seals once under the new key', async () => {
    const schema = `rot_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const store = await openStore({ postgresUrl: pgUrl!, pgSchema: schema });
    try {
      await roundTrip(store);
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
    }
  });
});

describe('rotation on SQLite (in memory, the same round trip)', () => {
  it('re-seals once under the new key', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      await roundTrip(store);
    } finally {
      await store.close();
    }
  });
});
