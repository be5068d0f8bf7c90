// The Unsynced Subscriptions audit: the non-arrears and arrears lists with paging, the ignored list,
// ignore/restore (one request per subscription at a time), and a line for screen readers after each change.
// The server answers in pages (issue 13): the first page on load, the next ones on "Load more", appended.
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import type { Api } from './api.ts';
import { createPaging, type Paging } from './app-paging.ts';
import {
  type IgnoredRow,
  IgnoreResultSchema,
  RestoreResultSchema,
  type UnsyncedAudit,
  UnsyncedAuditSchema,
  type UnsyncedReason,
  type UnsyncedRow,
} from './app-schemas.ts';
import { withMember, wordMatcher } from './search.ts';

export type ReasonFilter = 'all' | Exclude<UnsyncedReason, 'arrears'>;

export type AuditState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; audit: UnsyncedAudit };

export type AuditModel = {
  state: ReadonlySignal<AuditState>;
  /** True while a reload runs over a shown audit (the table stays). */
  refreshing: ReadonlySignal<boolean>;
  /** The non-arrears rows that pass the reason filter and the search, paged. */
  nonArrears: Paging<UnsyncedRow>;
  reasonFilter: ReadonlySignal<ReasonFilter>;
  search: ReadonlySignal<string>;
  /** How many non-arrears rows pass the filter and search. */
  matching: ReadonlySignal<number>;
  arrears: Paging<UnsyncedRow>;
  ignored: Paging<IgnoredRow>;
  /** Subscription ids with an ignore or restore in flight. */
  pending: ReadonlySignal<ReadonlySet<string>>;
  /** Rows of the non-arrears and arrears lists read so far, and whether the server has more. */
  loaded: ReadonlySignal<number>;
  hasMore: ReadonlySignal<boolean>;
  loadingMore: ReadonlySignal<boolean>;
  /** The last ignore/restore failure, shown above the table. */
  actionError: ReadonlySignal<string>;
  /** For the aria-live region: what the last load or change did. */
  announcement: ReadonlySignal<string>;
  load(): Promise<void>;
  /** Reads the next page of rows and appends it (false: nothing more, or it failed). */
  loadMore(): Promise<boolean>;
  ignore(subscriptionId: string, reason?: string): Promise<boolean>;
  restore(subscriptionId: string): Promise<boolean>;
  setReasonFilter(reason: ReasonFilter): void;
  setSearch(text: string): void;
};

const describe = (row: { subscription: { productName: string; companyName: string } | null }, id: string) =>
  row.subscription
    ? `${row.subscription.productName} (${row.subscription.companyName})`
    : `subscription ${id}`;

/** Rows a page asks the server for (its maximum). */
export const AUDIT_PAGE_ROWS = 1000;

const pagePath = (cursor?: string) =>
  `/api/audit/unsynced?limit=${AUDIT_PAGE_ROWS}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

export function createAuditModel({ api }: { api: Api }): AuditModel {
  const state = signal<AuditState>({ status: 'loading' });
  const refreshing = signal(false);
  const loadingMore = signal(false);
  const pending = signal<ReadonlySet<string>>(new Set());
  const actionError = signal('');
  const announcement = signal('');
  let seq = 0;

  const audit = computed(() => {
    const s = state.value;
    return s.status === 'ready' ? s.audit : undefined;
  });
  const reasonFilter = signal<ReasonFilter>('all');
  const search = signal('');
  const visible = computed(() => {
    const matches = wordMatcher(search.value);
    return (audit.value?.nonArrears ?? []).filter((r) => {
      if (reasonFilter.value !== 'all' && r.reason !== reasonFilter.value) return false;
      const s = r.subscription;
      return matches(`${s.companyName} ${s.productName} ${s.id.slice(0, 8)}`);
    });
  });
  const loaded = computed(() =>
    audit.value ? audit.value.nonArrears.length + audit.value.arrears.length : 0,
  );
  const hasMore = computed(() => Boolean(audit.value?.page?.nextCursor));
  const nonArrears = createPaging(visible);
  const arrears = createPaging(computed(() => audit.value?.arrears ?? []));
  const ignored = createPaging(computed(() => audit.value?.ignored ?? []));

  const fetchAudit = async (): Promise<UnsyncedAudit | undefined> => {
    const mine = ++seq;
    if (state.peek().status === 'ready') refreshing.value = true;
    else state.value = { status: 'loading' };
    try {
      const loaded = await api.get(pagePath(), UnsyncedAuditSchema);
      if (mine !== seq) return undefined;
      state.value = { status: 'ready', audit: loaded };
      return loaded;
    } catch (err) {
      if (mine !== seq) return undefined;
      // A failed refresh keeps the table; a failed first load shows the error.
      if (state.peek().status === 'ready')
        actionError.value = messageOf(err, 'The audit could not be reloaded');
      else state.value = { status: 'error', message: messageOf(err, 'The audit could not be loaded') };
      return undefined;
    } finally {
      if (mine === seq) refreshing.value = false;
    }
  };

  const loadMore = async (): Promise<boolean> => {
    const mine = seq;
    const cursor = audit.peek()?.page?.nextCursor;
    if (!cursor || loadingMore.peek()) return false;
    loadingMore.value = true;
    actionError.value = '';
    try {
      const next = await api.get(pagePath(cursor), UnsyncedAuditSchema);
      const before = audit.peek();
      if (mine !== seq || !before) return false;
      const merged: UnsyncedAudit = {
        ...next,
        nonArrears: [...before.nonArrears, ...next.nonArrears],
        arrears: [...before.arrears, ...next.arrears],
        ignored: before.ignored,
      };
      state.value = { status: 'ready', audit: merged };
      announcement.value = `Loaded ${merged.nonArrears.length + merged.arrears.length} of ${merged.counts.nonArrears + merged.counts.arrears} rows.`;
      return true;
    } catch (err) {
      if (mine === seq) actionError.value = messageOf(err, 'More rows could not be loaded');
      return false;
    } finally {
      loadingMore.value = false;
    }
  };

  /** After a change reloads the first page, read on until as many rows are shown as before. */
  const reloadAsMany = async (rows: number) => {
    const first = await fetchAudit();
    while (first && loaded.peek() < rows && hasMore.peek()) if (!(await loadMore())) break;
    return first ? audit.peek() : undefined;
  };

  const setPending = (id: string, on: boolean) => {
    pending.value = withMember(pending.peek(), id, on);
  };

  const change = async (
    id: string,
    send: () => Promise<unknown>,
    done: (what: string, a: UnsyncedAudit) => string,
    failed: string,
  ): Promise<boolean> => {
    if (pending.peek().has(id)) return false;
    const before = audit.peek();
    const row = before?.nonArrears.find((r) => r.subscription.id === id) ??
      before?.arrears.find((r) => r.subscription.id === id) ??
      before?.ignored.find((r) => r.subscriptionId === id) ?? { subscription: null };
    setPending(id, true);
    actionError.value = '';
    try {
      await send();
    } catch (err) {
      actionError.value = messageOf(err, failed);
      announcement.value = actionError.peek();
      setPending(id, false);
      return false;
    }
    const after = await reloadAsMany(loaded.peek());
    setPending(id, false);
    if (after) announcement.value = done(describe(row, id), after);
    return true;
  };

  return {
    setReasonFilter(reason) {
      reasonFilter.value = reason;
      nonArrears.first();
    },
    setSearch(text) {
      search.value = text;
      nonArrears.first();
    },
    state,
    refreshing,
    nonArrears,
    reasonFilter,
    search,
    matching: computed(() => visible.value.length),
    arrears,
    ignored,
    loaded,
    hasMore,
    loadingMore,
    loadMore,
    pending,
    actionError,
    announcement,
    async load() {
      actionError.value = '';
      const loaded = await fetchAudit();
      if (loaded) announcement.value = loaded.checked.statement;
    },
    ignore: (id, reason) =>
      change(
        id,
        () =>
          api.post(
            '/api/audit/ignore',
            reason?.trim() ? { subscriptionId: id, reason: reason.trim() } : { subscriptionId: id },
            IgnoreResultSchema,
          ),
        (what, a) => `Ignored ${what}. ${a.counts.nonArrears} unsynced, ${a.counts.ignored} ignored.`,
        'The subscription could not be ignored',
      ),
    restore: (id) =>
      change(
        id,
        () => api.post('/api/audit/restore', { subscriptionId: id }, RestoreResultSchema),
        (what, a) => `Restored ${what}. ${a.counts.nonArrears} unsynced, ${a.counts.ignored} ignored.`,
        'The subscription could not be restored',
      ),
  };
}
