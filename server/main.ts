// The only process entry: env → store → clients → createApp → serve.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readEnv } from './env.ts';
import { createLogger, silentLogger } from './log.ts';
import { projectRoot } from './root.ts';
import { createRuntime, listen, tuneHeap } from './runtime.ts';

const root = projectRoot;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildClientIfNeeded(): void {
  const marker = join(root, 'dist/client', 'pod/index.html');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(join(root, 'client'))) return;
  console.log('Building the client pages (vite build)…');
  const vite = join(root, 'node_modules/.bin/vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // What ships: an inherited NODE_ENV (a test runner's 'test') would make vite build for development.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('vite build failed');
}

async function main(): Promise<void> {
  const env = readEnv();
  tuneHeap(env);
  const logger = env.LOG_LEVEL === 'silent' ? silentLogger : createLogger();
  if (process.argv.includes('--build-if-needed')) buildClientIfNeeded();

  const runtime = await createRuntime(env, { logger });
  const { url, close } = await listen(runtime, env.HOST, env.PORT);
  console.log(
    `Pax8 pod for ConnectWise — ${env.SANDBOX ? 'sandbox' : 'live'} mode, data: ${env.DATABASE_URL ? 'PostgreSQL' : env.DATA_DIR}`,
  );
  console.log(`  Home:          ${url}/`);
  console.log(`  Health:        ${url}/health`);
  console.log(`  Ready:         ${url}/ready`);
  console.log(`  Setup:         ${url}/setup`);
  if (runtime.sandbox) {
    console.log(
      `  Sandbox date:                    ${runtime.sandbox.clock.today()} (GET/POST ${url}/sandbox/clock)`,
    );
    console.log(`  ConnectWise (sandbox host page): ${url}/sandbox/host`);
    console.log(`  Sandbox ConnectWise REST:        ${url}/sandbox/cw/v4_6_release/apis/3.0`);
    console.log(`  Sandbox Pax8 API:                ${url}/sandbox/pax8/v1`);
  }
  const stop = () => {
    close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
