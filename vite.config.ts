// Builds the browser pages (one entry per page) and configures vitest's projects.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Writes `<asset>.br` and `<asset>.gz` next to every compressible hashed asset (once, at build, at the highest
 * levels), when smaller than the asset; the server sends the one the browser accepts (app.ts).
 */
function precompress(): Plugin {
  const compressible = /^assets\/.+\.(?:js|mjs|css|svg|json|txt|map|html)$/;
  return {
    name: 'precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? '';
      for (const item of Object.values(bundle)) {
        if (!compressible.test(item.fileName)) continue;
        const raw = Buffer.from(item.type === 'chunk' ? item.code : item.source);
        const br = brotliCompressSync(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        });
        const gz = gzipSync(raw, { level: 9 });
        if (br.length < raw.length) writeFileSync(join(dir, `${item.fileName}.br`), br);
        if (gz.length < raw.length) writeFileSync(join(dir, `${item.fileName}.gz`), gz);
      }
    },
  };
}

const client = resolve(import.meta.dirname, 'client');

export default defineConfig({
  root: client,
  base: '/',
  plugins: [preact(), precompress()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        pod: resolve(client, 'pod/index.html'),
        app: resolve(client, 'app/index.html'),
        setup: resolve(client, 'setup/index.html'),
        sandboxHost: resolve(client, 'sandbox-host/index.html'),
      },
    },
  },
  test: {
    root: import.meta.dirname,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          root: import.meta.dirname,
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'client',
          root: import.meta.dirname,
          include: ['test/client/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: import.meta.dirname,
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ['test/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
