// `npm start` and `npm run build:server`: builds the server to dist/server/main.js (esbuild, which tsx already
// brings: one ESM file with its packages, but for the native better-sqlite3) when a server source is newer than
// the build, then runs the built JavaScript in this process. `--build-only` stops after the build. `npm run dev` keeps tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const outfile = join(root, 'dist/server/main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const inputs = [join(root, 'server'), join(root, 'package.json'), join(root, 'package-lock.json')];
const newestInput = () =>
  Math.max(
    ...inputs
      .filter(existsSync)
      .map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)),
  );

const buildOnly = process.argv.includes('--build-only');
if (buildOnly || !existsSync(outfile) || statSync(outfile).mtimeMs < newestInput()) {
  const { buildSync } = await import('esbuild');
  buildSync({
    entryPoints: [join(root, 'server/main.ts')],
    outfile,
    bundle: true,
    // The packages are bundled too (kysely alone is some 400 modules, ~100 ms to load one by one); the native
    // better-sqlite3 stays in node_modules, and pg's optional pg-native is never installed. CommonJS packages
    // in an ES module need a `require`.
    external: ['better-sqlite3', 'pg-native'],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  if (buildOnly) console.log(`Built ${outfile.slice(dirname(root).length + 1)}`);
}
if (!buildOnly) await import(pathToFileURL(outfile).href);
