// The reconciliation board (issue 11): the kept board in pages with its filters, search and sort; polling while
// the server recomputes or refreshes it (the table stays); the rows selected for the bulk review, one page at a
// time or "everything out of step" under the filters; CSV exports. Components render it and call its methods.
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import { type Api, ApiError } from './api.ts';
import { type BoardAnswer, BoardAnswerSchema, type BoardRow, BoardSelectionSchema } from './board-schemas.ts';

export type BoardState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; board: BoardAnswer };

export type BoardSort = 'money' | '-money' | 'margin' | '-margin' | 'cost' | 'leak' | 'company';
export type BoardStatusFilter =
  | 'all'
  | 'out_of_step'
  | 'synced'
  | 'ignored'
  | 'below_margin_floor'
  | (string & {});

export type BoardQuery = {
  q: string;
  status: BoardStatusFilter;
  term: string;
  /** Dollars, as typed ('' for none): rows whose difference is at least this. */
  minAmount: string;
  sort: BoardSort;
  /** A ConnectWise company id (the company pod's tab) or ''. */
  company: string;
  offset: number;
};

/** A selected row as the bulk review takes it (agreementId null: ConnectWise has no agreement for it yet). */
export type BoardItem = { subscriptionId: string; agreementId: number | null; companyId: number };
export type SelectedItem = BoardItem & { belowMarginFloor: boolean };

export type BoardModel = {
  state: ReadonlySignal<BoardState>;
  /** A reload runs over a shown board (the table stays). */
  reloading: ReadonlySignal<boolean>;
  query: ReadonlySignal<BoardQuery>;
  selected: ReadonlySignal<ReadonlyMap<string, SelectedItem>>;
  selectedCount: ReadonlySignal<number>;
  /** Selected rows the margin floor flags: the review asks to confirm them. */
  selectedBelowFloor: ReadonlySignal<number>;
  /** An action's failure (selection, recompute, export), shown above the table. */
  actionError: ReadonlySignal<string>;
  announcement: ReadonlySignal<string>;
  /** What "select everything out of step" left out and why (empty when nothing), shown by the buttons. */
  leftOutNote: ReadonlySignal<string>;
  load(): Promise<void>;
  set(patch: Partial<Omit<BoardQuery, 'offset'>>): void;
  page(direction: 1 | -1): void;
  toggle(row: BoardRow): void;
  /** Selects (true) or unselects (false) every row of the page shown. */
  togglePage(on: boolean): void;
  /** Every row out of step under the filters (not only the page shown). */
  selectOutOfStep(): Promise<void>;
  clearSelection(): void;
  /**
   * A finished apply's items: rows whose every item is done leave the selection; a failed one (or one not yet
   * settled) stays selected, so Review selected tries it again.
   */
  unselectDone(items: readonly { subscriptionId: string; state: string }[]): void;
  selectedItems(): BoardItem[];
  recompute(): Promise<void>;
  exportBoard(): Promise<{ filename: string; text: string } | null>;
  exportLeakage(month: string): Promise<{ filename: string; text: string } | null>;
  /** Stops polling and pending reloads. */
  stop(): void;
};

export const BOARD_PAGE_ROWS = 100;

export type BoardModelDeps = {
  api: Api;
  /** The ConnectWise company the board opens on (the company pod's tab). */
  company?: number | undefined;
  /** How long to wait before reading the board again while the server works on it, and before a typed search runs. */
  pollMs?: number;
  searchDelayMs?: number;
  schedule?: (fn: () => void, ms: number) => () => void;
};

const defaultSchedule = (fn: () => void, ms: number) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

const messageOf = (err: unknown) =>
  err instanceof ApiError || err instanceof Error ? err.message : String(err);

/** The filters as the server reads them; `withPage` adds the page (the selection and exports take every row). */
export function queryString(q: BoardQuery, withPage: boolean): string {
  const p = new URLSearchParams();
  if (q.q.trim()) p.set('q', q.q.trim());
  if (q.status !== 'all') p.set('status', q.status);
  if (q.term) p.set('term', q.term);
  if (q.minAmount.trim()) p.set('minAmount', q.minAmount.trim());
  if (q.company) p.set('company', q.company);
  p.set('sort', q.sort);
  if (withPage) {
    p.set('limit', String(BOARD_PAGE_ROWS));
    if (q.offset > 0) p.set('offset', String(q.offset));
  }
  return p.toString();
}

export function createBoardModel(deps: BoardModelDeps): BoardModel {
  const { api } = deps;
  const schedule = deps.schedule ?? defaultSchedule;
  const pollMs = deps.pollMs ?? 2000;
  const searchDelayMs = deps.searchDelayMs ?? 300;
  const state = signal<BoardState>({ status: 'loading' });
  const reloading = signal(false);
  const query = signal<BoardQuery>({
    q: '',
    status: 'all',
    term: '',
    minAmount: '',
    sort: 'money',
    company: deps.company === undefined ? '' : String(deps.company),
    offset: 0,
  });
  const selected = signal<ReadonlyMap<string, SelectedItem>>(new Map());
  const actionError = signal('');
  const announcement = signal('');
  const leftOutNote = signal('');
  let cancelPoll: (() => void) | null = null;
  let cancelSearch: (() => void) | null = null;
  let asked = 0;

  const shownRows = (): BoardRow[] => (state.value.status === 'ready' ? state.value.board.rows : []);
  const itemOf = (r: BoardRow): SelectedItem => ({
    subscriptionId: r.subscriptionId,
    agreementId: r.agreementId,
    companyId: r.cwCompanyId,
    belowMarginFloor: r.belowMarginFloor,
  });

  async function load(): Promise<void> {
    cancelPoll?.();
    cancelPoll = null;
    const mine = ++asked;
    // peek: load runs inside the app root's section effect, which must not subscribe to the board's state.
    if (state.peek().status === 'ready') reloading.value = true;
    try {
      const board = await api.get(`/api/board?${queryString(query.peek(), true)}`, BoardAnswerSchema);
      if (mine !== asked) return;
      state.value = { status: 'ready', board };
      announcement.value =
        board.computedAt === null
          ? 'The board is being computed.'
          : `${board.page.matched} rows. ${board.totals.statement}.`;
      // The server works on it in the background: read it again shortly, the shown board stays meanwhile.
      if (board.recomputing || board.refreshing > 0 || board.computedAt === null) {
        cancelPoll = schedule(() => void load(), pollMs);
      }
    } catch (err) {
      if (mine !== asked) return;
      if (state.peek().status === 'ready') actionError.value = messageOf(err);
      else state.value = { status: 'error', message: messageOf(err) };
    } finally {
      if (mine === asked) reloading.value = false;
    }
  }

  const text = (path: string) => api.request<string>('GET', path, { text: true });
  async function exported(path: string, filename: string) {
    actionError.value = '';
    try {
      return { filename, text: await text(path) };
    } catch (err) {
      actionError.value = messageOf(err);
      return null;
    }
  }

  return {
    state,
    reloading,
    query,
    selected,
    selectedCount: computed(() => selected.value.size),
    selectedBelowFloor: computed(() => [...selected.value.values()].filter((i) => i.belowMarginFloor).length),
    actionError,
    announcement,
    leftOutNote,
    load,
    set(patch) {
      query.value = { ...query.value, ...patch, offset: 0 };
      cancelSearch?.();
      // A typed search waits for a pause; a choice reloads at once.
      if (patch.q !== undefined || patch.minAmount !== undefined) {
        cancelSearch = schedule(() => void load(), searchDelayMs);
      } else void load();
    },
    page(direction) {
      if (state.value.status !== 'ready') return;
      const { offset, limit, matched } = state.value.board.page;
      const next = offset + direction * limit;
      if (next < 0 || next >= matched) return;
      query.value = { ...query.value, offset: next };
      void load();
    },
    toggle(row) {
      const next = new Map(selected.value);
      if (next.has(row.subscriptionId)) next.delete(row.subscriptionId);
      else next.set(row.subscriptionId, itemOf(row));
      selected.value = next;
    },
    togglePage(on) {
      const next = new Map(selected.value);
      for (const r of shownRows()) {
        if (on) next.set(r.subscriptionId, itemOf(r));
        else next.delete(r.subscriptionId);
      }
      selected.value = next;
    },
    async selectOutOfStep() {
      actionError.value = '';
      const q = query.value;
      try {
        const { items, leftOut } = await api.get(
          `/api/board/selection?${queryString({ ...q, status: q.status === 'all' ? 'out_of_step' : q.status }, false)}`,
          BoardSelectionSchema,
        );
        selected.value = new Map(items.map((i) => [i.subscriptionId, i]));
        leftOutNote.value = leftOutText(leftOut).trim();
        announcement.value = `${items.length} rows out of step selected. ${leftOutNote.value}`.trim();
      } catch (err) {
        actionError.value = messageOf(err);
      }
    },
    clearSelection() {
      selected.value = new Map();
      leftOutNote.value = '';
    },
    unselectDone(items) {
      const unsettled = new Set(items.filter((i) => i.state !== 'done').map((i) => i.subscriptionId));
      const done = items.filter((i) => i.state === 'done' && !unsettled.has(i.subscriptionId));
      if (!done.some((i) => selected.value.has(i.subscriptionId))) return;
      const next = new Map(selected.value);
      for (const i of done) next.delete(i.subscriptionId);
      selected.value = next;
    },
    selectedItems() {
      return [...selected.value.values()].map(({ subscriptionId, agreementId, companyId }) => ({
        subscriptionId,
        agreementId,
        companyId,
      }));
    },
    async recompute() {
      actionError.value = '';
      try {
        await api.post('/api/board/recompute', {});
        announcement.value = 'Recomputing the board; the board shown stays until it ends.';
      } catch (err) {
        actionError.value = messageOf(err);
        return;
      }
      await load();
    },
    exportBoard: () => exported(`/api/board/export.csv?${queryString(query.value, false)}`, 'pax8-board.csv'),
    exportLeakage: (month) =>
      exported(`/api/board/leakage.csv?month=${encodeURIComponent(month)}`, `pax8-leakage-${month}.csv`),
    stop() {
      cancelPoll?.();
      cancelSearch?.();
      cancelPoll = null;
      cancelSearch = null;
    },
  };
}

/** "12 left out: 9 whose product is not bound, 3 whose company is not bound (bind them first)." or nothing. */
export function leftOutText(leftOut: { product_not_bound: number; company_not_bound: number }): string {
  const n = leftOut.product_not_bound + leftOut.company_not_bound;
  if (n === 0) return '';
  const why = [
    leftOut.product_not_bound > 0 ? `${leftOut.product_not_bound} whose product is not bound` : '',
    leftOut.company_not_bound > 0 ? `${leftOut.company_not_bound} whose company is not bound` : '',
  ].filter(Boolean);
  return `${n} left out, the bulk review cannot sync them: ${why.join(', ')} (bind them first).`;
}
