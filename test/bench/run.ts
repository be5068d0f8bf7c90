// `npm run bench`: runs every benchmark in turn and prints its figures. Benchmarks measure; they never assert.
import { benchAudit } from './audit.bench.ts';
import { benchBoard } from './board.bench.ts';
import { benchBulk } from './bulk.bench.ts';
import { benchColdStart } from './cold-start.bench.ts';
import { benchCwClient } from './cw-client.bench.ts';
import { benchCwEmulator } from './cw-emulator.bench.ts';
import { run as benchLoad } from './load.bench.ts';
import { benchPodLoad } from './pod-load.bench.ts';
import { benchPodSize } from './pod-size.bench.ts';
import { run as benchPodView } from './pod-view.bench.ts';

const benches: [string, () => Promise<unknown>][] = [
  ['CW emulator: cost per 1,000-row page', () => benchCwEmulator()],
  ['CW client over the emulator: cost per 1,000-row page', () => benchCwClient()],
  [
    'Pod view: agreement with 300 additions, company with 200 subscriptions, 50 ms upstream latency',
    () => benchPodView(),
  ],
  ['Pod page: JavaScript size, and the pod assets over the wire', () => benchPodSize()],
  ['Cold start: built JavaScript (npm start) and tsx (npm run dev)', () => benchColdStart()],
  ['Pod load: host page → pod signed in and rows shown, Chromium', () => benchPodLoad()],
  [
    'Load: 1,000 concurrent pod views, 50 ms upstream latency, upstreams and server in their own processes',
    () => benchLoad(),
  ],
  [
    'Unsynced audit: 10,000 and 40,000 subscriptions, 50 ms upstream latency, upstreams and server in their own processes',
    () => benchAudit(),
  ],
  [
    'Reconciliation board: 2,000 companies, 40,000 subscriptions, 4,000 agreements, 60,000 additions, 50 ms upstream latency, ConnectWise 429 beyond 10 concurrent requests',
    () => benchBoard(),
  ],
  [
    'Bulk apply: 500 subscriptions, 50 ms upstream latency, calm and under a 20 % 429 + 20 % 500 storm',
    () => benchBulk(),
  ],
];

for (const [name, bench] of benches) {
  console.log(`\n== ${name}`);
  await bench();
}
