// The built server (what `npm start` runs: dist/server/main.js, one ES module with its packages bundled but for
// the native better-sqlite3) starts and answers as the sources do: on SQLite, and on PostgreSQL with pg-boss's
// queue (pg and pg-boss are bundled too). The other tests run the sources; this is the one that runs the build.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const pgUrl = process.env.TEST_DATABASE_URL;

/** Starts `node dist/server/main.js` on a free port; resolves with its base URL once it says where it listens. */
function startBuilt(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'pod-built-')),
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const home = /Home:\s+(http:\/\/\S+?)\/?\s/.exec(out);
      if (home) done({ child, base: home[1]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.once('exit', (code) => fail(new Error(`the built server exited with ${code}: ${out}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });

describe('the built server (npm start)', () => {
  let running: ChildProcess | null = null;

  beforeAll(() => {
    const built = spawnSync(process.execPath, ['server/launch.mjs', '--build-only'], { cwd: root });
    expect(built.status, String(built.stderr)).toBe(0);
  }, 60_000);
  afterEach(async () => {
    if (running) await stop(running);
    running = null;
  });

  it('answers health, readiness, metrics and the sandbox clock on SQLite', async () => {
    const { child, base } = await startBuilt({});
    running = child;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toBe('application/json');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await health.json()).toMatchObject({ ok: true, sandbox: true });
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({
      ready: true,
      checks: { store: 'ok', secrets: 'ok' },
    });
    // prom-client (bundled, CommonJS) collects the process's metrics.
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('process_cpu_user_seconds_total');
    // The sandbox's emulated upstreams answer too (the client pages need a vite build, not this test's business).
    expect(await (await fetch(`${base}/sandbox/clock`)).json()).toMatchObject({
      today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  }, 30_000);

  if (pgUrl) {
    describe('on PostgreSQL', () => {
      const database = `built_server_${process.pid}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      beforeAll(async () => {
        await admin.connect();
        await admin.query(`drop database if exists ${database}`);
        await admin.query(`create database ${database}`);
      });
      afterAll(async () => {
        await admin.query(`drop database if exists ${database} with (force)`);
        await admin.end();
      });

      it('migrates the store and starts pg-boss', async () => {
        const url = new URL(pgUrl);
        url.pathname = `/${database}`;
        const { child, base } = await startBuilt({ DATABASE_URL: url.href });
        running = child;
        expect(await (await fetch(`${base}/ready`)).json()).toMatchObject({ ready: true });
        const db = new pg.Client({ connectionString: url.href });
        await db.connect();
        try {
          const queues = await db.query<{ name: string }>('select name from pgboss.queue order by name');
          expect(queues.rows.map((r) => r.name)).toEqual(['bulk-job', 'schedule-run']);
        } finally {
          await db.end();
        }
      }, 30_000);
    });
  } else if (process.env.CI === 'true') {
    it('has PostgreSQL in CI', () => {
      throw new Error('TEST_DATABASE_URL is required in CI (e.g. postgres://postgres@127.0.0.1:5432/test)');
    });
  }
});
