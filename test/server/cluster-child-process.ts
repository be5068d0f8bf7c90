// What the kill -9 tests share: the emulators served over HTTP for a child process, and a real child server
// process (cluster-child.ts) on the cluster's schema, started and awaited until it listens.
import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';

export type Server = ReturnType<typeof serve>;

/** Serves `fetch` on a free loopback port. */
export const listen = (fetch: (req: Request) => Response | Promise<Response>) =>
  new Promise<{ server: Server; url: string }>((done) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () =>
      done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });

export const closeServer = (s: Server) => new Promise<void>((done) => s.close(() => done()));

/**
 * Starts cluster-child.ts with `env` (CHILD_*); `url` resolves once it listens, `stderr()` is what it wrote so
 * far (for a failure message).
 */
export function spawnChild(env: Record<string, string>): {
  child: ChildProcess;
  url: Promise<string>;
  stderr: () => string;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'cluster-child.ts')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = new Promise<string>((done, fail) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) done(`http://127.0.0.1:${m[1]}`);
    });
    child.once('exit', (code) => fail(new Error(`child exited (${code}) before listening: ${err}`)));
  });
  return { child, url, stderr: () => err };
}
