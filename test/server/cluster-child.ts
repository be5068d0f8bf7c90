// A real server process for cluster-kill.test.ts: one cluster member over the test's PostgreSQL schema,
// reaching the test's emulators over HTTP, on a fixed clock. Prints "listening <port>" once it serves.
// Run as: node --import tsx test/server/cluster-child.ts (the test passes everything through the environment).
import { serve } from '@hono/node-server';
import { jobQueueOf } from '../../server/jobs/queue.ts';
import { openStore } from '../../server/store/index.ts';
import { serverProcess, testQueueTimings } from './cluster-harness.ts';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`cluster-child: ${name} is required`);
  return value;
};

const targets: Record<string, string> = {
  'cw.test': need('CHILD_CW_URL'),
  'pax8.test': need('CHILD_PAX8_URL'),
};
const now = new Date(need('CHILD_NOW'));

/** The cluster's upstream hosts (cw.test, pax8.test) → the test process's emulators. */
const upstream: typeof fetch = async (input, init) => {
  const req = new Request(input, init);
  const url = new URL(req.url);
  const target = targets[url.host];
  if (!target) throw new Error(`No network in tests: ${req.url}`);
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : await req.arrayBuffer();
  return fetch(new URL(url.pathname + url.search, target), {
    method: req.method,
    headers: req.headers,
    body,
    signal: req.signal,
  });
};

const store = await openStore({ postgresUrl: need('CHILD_PG_URL'), pgSchema: need('CHILD_PG_SCHEMA') });
const proc = serverProcess('child', store, { now: () => now, fetch: upstream });
// CHILD_JOBS=1: this process joins the bulk job queue (pg-boss) with the test's short timings.
if (process.env.CHILD_JOBS) await jobQueueOf(proc.ctx, testQueueTimings).start();
serve({ fetch: proc.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`listening ${info.port}\n`);
});
