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
    // The build that ships: vitest's NODE_ENV=test would make vite build for development (Preact's devtools in).
    env: { ...process.env, NODE_ENV: 'production' },
    cwd: root,
  });
  if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);
  const sizes = podScriptSizes();
  for (const { file, gzip } of sizes) log(`${file.padEnd(44)} ${(gzip / 1024).toFixed(1)} kB gzipped`);
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0) / 1024;
  log(
    `pod JavaScript in all: ${total.toFixed(1)} kB gzipped (goal < 40 kB: ${total < 40 ? 'met' : 'MISSED'})`,
  );
  const wire = await podWireBytes();
  log(
    `pod assets over the wire (JS + CSS through the app): ${(wire.plain / 1024).toFixed(1)} kB plain, ` +
      `${(wire.gzip / 1024).toFixed(1)} kB gzip, ${(wire.br / 1024).toFixed(1)} kB brotli ` +
      `(Content-Encoding ${wire.encoding}; Cache-Control ${wire.cacheControl})`,
  );
  return total;
}

/** Bytes the app sends for the pod page's scripts and styles, by Accept-Encoding. */
export async function podWireBytes(distDir = join(root, 'dist/client')) {
  const { createApp } = await import('../../server/app.ts');
  const { silentLogger } = await import('../../server/log.ts');
  const app = createApp({
    env: { HOST_ORIGINS: [], SANDBOX: true },
    logger: silentLogger,
    now: () => new Date(),
    distDir,
  });
  const html = readFileSync(join(distDir, 'pod/index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] as string,
  );
  const sum = async (accept?: string) => {
    let bytes = 0;
    let res: Response | undefined;
    for (const file of files) {
      res = await app.request(`/${file}`, accept ? { headers: { 'Accept-Encoding': accept } } : {});
      bytes += (await res.arrayBuffer()).byteLength;
    }
    return { bytes, res };
  };
  const br = await sum('br, gzip');
  return {
    plain: (await sum()).bytes,
    gzip: (await sum('gzip')).bytes,
    br: br.bytes,
    encoding: br.res?.headers.get('content-encoding') ?? 'none',
    cacheControl: br.res?.headers.get('cache-control') ?? 'none',
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchPodSize();
