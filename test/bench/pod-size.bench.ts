// The pod's JavaScript over the wire: every script the built pod page loads (entry and module
// preloads), gzipped. Builds the pages first. Goal: under 40 kB gzipped.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '../..');

export function podScriptSizes(distDir = join(root, 'dist/client')): { file: string; gzip: number }[] {
  const html = readFileSync(join(distDir, 'pod/index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  return files.map((file) => ({
    file,
    gzip: gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length,
  }));
}

export async function benchPodSize(log: (line: string) => void = console.log): Promise<number> {
  const build = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], {
    cwd: root,
  });
  if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);
  const sizes = podScriptSizes();
  for (const { file, gzip } of sizes) log(`${file.padEnd(44)} ${(gzip / 1024).toFixed(1)} kB gzipped`);
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0) / 1024;
  log(
    `pod JavaScript in all: ${total.toFixed(1)} kB gzipped (goal < 40 kB: ${total < 40 ? 'met' : 'MISSED'})`,
  );
  return total;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchPodSize();
