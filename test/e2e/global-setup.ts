// Builds the client pages once before the browser tests (the server serves dist/client).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '../..');
  const build = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], {
    // The build that ships: vitest's NODE_ENV=test would make vite build for development (Preact's devtools in).
    env: { ...process.env, NODE_ENV: 'production' },
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`vite build failed before the e2e tests:\n${build.stderr}`);
}
