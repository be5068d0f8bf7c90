// Cold start: from spawning the server to its first GET /health 200, for the built JavaScript (what `npm start`
// runs: node dist/server/main.js) and for the TypeScript source through tsx (what `npm run dev` runs), in one
// run. Reports wall time (goal ≤ 400 ms for the built server) and the process's CPU time until then (from
// /proc, less sensitive to a busy machine than wall time). Sandbox mode, an empty temp DATA_DIR each time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

/** utime + stime of a process in ms (Linux /proc), or NaN elsewhere. */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

export async function coldStart(args: string[]): Promise<{ wallMs: number; cpuMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'pod-cold-')),
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return { wallMs: Math.round(performance.now() - started), cpuMs: cpuMsOf(child.pid!) };
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
  }
}

export async function benchColdStart(log: (line: string) => void = console.log, runs = 3) {
  const build = spawnSync(process.execPath, ['server/launch.mjs', '--build-only'], { cwd: root });
  if (build.status !== 0) throw new Error(`build:server failed: ${build.stderr}`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const of = async (args: string[]) => {
    const all = [];
    for (let i = 0; i < runs; i++) all.push(await coldStart(args));
    return { wallMs: median(all.map((r) => r.wallMs)), cpuMs: median(all.map((r) => r.cpuMs)) };
  };
  const built = await of(['dist/server/main.js']);
  const tsx = await of(['--import', 'tsx', 'server/main.ts']);
  log(
    `cold start to the first /health 200 (median of ${runs}): built JavaScript ${built.wallMs} ms ` +
      `(${built.cpuMs} CPU-ms; goal ≤ 400 ms: ${built.wallMs <= 400 ? 'met' : 'MISSED'}), ` +
      `tsx ${tsx.wallMs} ms (${tsx.cpuMs} CPU-ms)`,
  );
  return { built, tsx };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchColdStart();
