// The only process entry: env → store → clients → createApp → serve.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { readEnv } from './env.ts';
import { createLogger, silentLogger } from './log.ts';

const root = resolve(import.meta.dirname, '..');
const distDir = join(root, 'dist/client');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildClientIfNeeded(): void {
  const marker = join(distDir, 'pod/index.html');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(join(root, 'client'))) return;
  console.log('Building the client pages (vite build)…');
  const vite = join(root, 'node_modules/.bin/vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
}

async function main(): Promise<void> {
  const env = readEnv();
  const logger = env.LOG_LEVEL === 'silent' ? silentLogger : createLogger();
  if (process.argv.includes('--build-if-needed')) buildClientIfNeeded();

  const app = createApp({ env, logger, now: () => new Date(), distDir });
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const base = `http://${env.HOST}:${info.port}`;
    console.log(`Pax8 pod for ConnectWise — ${env.SANDBOX ? 'sandbox' : 'live'} mode`);
    console.log(`  Home:          ${base}/`);
    console.log(`  Health:        ${base}/health`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
