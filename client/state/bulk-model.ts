// The bulk review's state: the combined review of the selected rows (lines ignored one by one, totals without
// them, the margin-floor confirmation), Confirm, the job polled until it ends (its id kept in the URL hash, so
// a reopened page picks it up again), and Undo with its own review.
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import type { Api } from './api.ts';
import {
  type BulkJob,
  BulkJobSchema,
  type BulkLine,
  type BulkReview,
  BulkReviewSchema,
  type UndoReview,
  UndoReviewSchema,
} from './bulk-schemas.ts';

export type BulkItem = { subscriptionId: string; agreementId: number };

export type BulkState =
  | { status: 'idle' }
  | { status: 'planning' }
  | { status: 'review'; review: BulkReview }
  | { status: 'running'; job: BulkJob }
  | { status: 'finished'; job: BulkJob }
  | { status: 'undo-review'; job: BulkJob; undo: UndoReview }
  | { status: 'error'; message: string };

export type Totals = { lines: number; price: string; cost: string };

export type BulkModel = {
  state: ReadonlySignal<BulkState>;
  ignored: ReadonlySignal<ReadonlySet<string>>;
  confirmBelowFloor: ReadonlySignal<boolean>;
  /** Lines below the margin floor that are not ignored: Confirm needs confirmBelowFloor while any remain. */
  belowFloor: ReadonlySignal<BulkLine[]>;
  /** Totals of the lines not ignored, per agreement and overall. */
  totals: ReadonlySignal<{ byAgreement: ReadonlyMap<number, Totals>; overall: Totals }>;
  /** The last action's failure (confirm, undo), shown above the review. */
  actionError: ReadonlySignal<string>;
  busy: ReadonlySignal<boolean>;
  announcement: ReadonlySignal<string>;
  plan(items: BulkItem[]): Promise<void>;
  toggleLine(id: string): void;
  setConfirmBelowFloor(on: boolean): void;
  confirm(): Promise<void>;
  /** Follows a job already started (a reopened page). */
  follow(jobId: string): Promise<void>;
  planUndo(): Promise<void>;
  confirmUndo(): Promise<void>;
  /** Stops polling (the page closes the review). */
  close(): void;
};

export type BulkModelDeps = {
  api: Api;
  /** Where the job id is kept so a reopened page resumes it (the URL hash by default). */
  hash?: { get(): string; set(value: string): void };
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
};

/** '12.50' → 1250, exactly (no float money). */
export function centsOf(amount: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return 0;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -cents : cents;
}

export function amountOf(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function totalsOf(lines: readonly BulkLine[]): Totals {
  let price = 0;
  let cost = 0;
  for (const l of lines) {
    price += centsOf(l.totalPrice);
    cost += centsOf(l.totalCost);
  }
  return { lines: lines.length, price: amountOf(price), cost: amountOf(cost) };
}

const JOB_HASH = /(?:^|[#&])bulk-job=([0-9a-f-]{36})/;

/** The job id a reopened page should follow, from the URL hash. */
export const jobIdInHash = (hash: string): string | null => JOB_HASH.exec(hash)?.[1] ?? null;

const REVIEW_HASH = /(?:^|[#&])bulk-review=([0-9a-f:,-]+)/;
const REVIEW_ITEM = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([1-9][0-9]{0,9})$/;

/**
 * Rows to review from a link (`#bulk-review=<subscription id>:<agreement id>,…`), e.g. a scheduled run's to-do
 * list or a bookmark; null when the hash names none (a malformed pair is left out).
 */
export function reviewItemsInHash(hash: string): BulkItem[] | null {
  const list = REVIEW_HASH.exec(hash)?.[1];
  if (!list) return null;
  const items = list.split(',').flatMap((pair) => {
    const m = REVIEW_ITEM.exec(pair);
    return m?.[1] && m[2] ? [{ subscriptionId: m[1], agreementId: Number(m[2]) }] : [];
  });
  return items.length > 0 ? items : null;
}

/** A poll's answer since `last`'s cursor laid over `last`: its changed items replace theirs, in seq order. */
export function withChanges(last: BulkJob, changed: BulkJob): BulkJob {
  const bySeq = new Map(last.items.map((i) => [i.seq, i]));
  for (const i of changed.items) bySeq.set(i.seq, i);
  return { ...changed, items: [...bySeq.values()].sort((a, b) => a.seq - b.seq) };
}

export function createBulkModel(deps: BulkModelDeps): BulkModel {
  const { api } = deps;
  const hash = deps.hash ?? {
    get: () => location.hash,
    set: (value: string) => history.replaceState(null, '', value ? `#${value}` : location.pathname),
  };
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = deps.pollMs ?? 1000;
  const state = signal<BulkState>({ status: 'idle' });
  const ignored = signal<ReadonlySet<string>>(new Set());
  const confirmBelowFloor = signal(false);
  const actionError = signal('');
  const busy = signal(false);
  const announcement = signal('');
  let polling = 0;

  const review = computed(() => (state.value.status === 'review' ? state.value.review : null));
  const kept = (lines: readonly BulkLine[]) => lines.filter((l) => !ignored.value.has(l.id));
  const belowFloor = computed(() =>
    kept(review.value?.groups.flatMap((g) => g.lines) ?? []).filter((l) => l.belowMarginFloor),
  );
  const totals = computed(() => {
    const groups = review.value?.groups ?? [];
    return {
      byAgreement: new Map(groups.map((g) => [g.agreementId, totalsOf(kept(g.lines))])),
      overall: totalsOf(kept(groups.flatMap((g) => g.lines))),
    };
  });

  /**
   * Polls the job to its end. After a first full answer (`known`, or the first GET) each poll asks only the items
   * changed since the last answer's cursor and lays them over the items it has; a server that answers no cursor
   * is asked for everything each time.
   */
  async function poll(jobId: string, known?: BulkJob): Promise<void> {
    const mine = ++polling;
    let last = known;
    for (;;) {
      let job: BulkJob;
      try {
        const since = last?.cursor;
        const answer = await api.get(
          `/api/bulk/jobs/${jobId}${since === undefined ? '' : `?since=${encodeURIComponent(since)}`}`,
          BulkJobSchema,
        );
        job = since === undefined || !last ? answer : withChanges(last, answer);
      } catch (err) {
        if (mine === polling) state.value = { status: 'error', message: messageOf(err) };
        return;
      }
      if (mine !== polling) return;
      if (job.state === 'done') {
        state.value = { status: 'finished', job };
        announcement.value = `${job.kind === 'undo' ? 'Undo' : 'Apply'} finished: ${job.done} of ${job.total} done, ${job.failed} failed.`;
        return;
      }
      state.value = { status: 'running', job };
      last = job;
      await sleep(pollMs);
      if (mine !== polling) return;
    }
  }

  async function startJob(body: Record<string, unknown>): Promise<void> {
    busy.value = true;
    actionError.value = '';
    try {
      const job = await api.post('/api/bulk/jobs', body, BulkJobSchema);
      hash.set(`bulk-job=${job.id}`);
      state.value = { status: 'running', job };
      announcement.value = `${job.kind === 'undo' ? 'Undo' : 'Apply'} started: ${job.total} item(s).`;
      void poll(job.id, job);
    } catch (err) {
      actionError.value = messageOf(err);
    } finally {
      busy.value = false;
    }
  }

  return {
    state,
    ignored,
    confirmBelowFloor,
    belowFloor,
    totals,
    actionError,
    busy,
    announcement,
    async plan(items) {
      polling++;
      state.value = { status: 'planning' };
      ignored.value = new Set();
      confirmBelowFloor.value = false;
      actionError.value = '';
      try {
        // Only the pair: the server's schema is strict, and callers may hand richer rows (the board's).
        const pairs = items.map(({ subscriptionId, agreementId }) => ({ subscriptionId, agreementId }));
        const r = await api.post('/api/bulk/plan', { items: pairs }, BulkReviewSchema);
        state.value = { status: 'review', review: r };
        announcement.value = `Review ready: ${r.totals.lines} line(s) on ${r.groups.length} agreement(s).`;
      } catch (err) {
        state.value = { status: 'error', message: messageOf(err) };
      }
    },
    toggleLine(id) {
      const next = new Set(ignored.value);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      ignored.value = next;
    },
    setConfirmBelowFloor(on) {
      confirmBelowFloor.value = on;
    },
    async confirm() {
      const r = review.value;
      if (!r || busy.value) return;
      if (belowFloor.value.length > 0 && !confirmBelowFloor.value) {
        actionError.value = 'Some lines are below the margin floor: confirm them, or ignore them.';
        return;
      }
      await startJob({
        planId: r.planId,
        ignoredLineIds: [...ignored.value],
        ...(belowFloor.value.length > 0 ? { confirmBelowMarginFloor: true } : {}),
      });
    },
    async follow(jobId) {
      state.value = { status: 'planning' };
      await poll(jobId);
    },
    async planUndo() {
      const s = state.value;
      if (s.status !== 'finished' || busy.value) return;
      busy.value = true;
      actionError.value = '';
      try {
        const undo = await api.post(`/api/bulk/jobs/${s.job.id}/undo-plan`, undefined, UndoReviewSchema);
        state.value = { status: 'undo-review', job: s.job, undo };
      } catch (err) {
        actionError.value = messageOf(err);
      } finally {
        busy.value = false;
      }
    },
    async confirmUndo() {
      const s = state.value;
      if (s.status !== 'undo-review' || busy.value) return;
      await startJob({ planId: s.undo.planId });
    },
    close() {
      polling++;
      hash.set('');
      state.value = { status: 'idle' };
    },
  };
}
