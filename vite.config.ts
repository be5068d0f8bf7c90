// Builds the browser pages (one entry per page) and configures vitest's projects.
import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

const client = resolve(import.meta.dirname, 'client');

export default defineConfig({
  root: client,
  base: '/',
  plugins: [preact()],
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
