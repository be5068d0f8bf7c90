// The Unsynced Subscriptions audit: the non-arrears and arrears lists with paging, the ignored list,
// ignore/restore (one request per subscription at a time), and a line for screen readers after each change.
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
  /** The last ignore/restore failure, shown above the table. */
  actionError: ReadonlySignal<string>;
  /** For the aria-live region: what the last load or change did. */
  announcement: ReadonlySignal<string>;
  load(): Promise<void>;
  ignore(subscriptionId: string, reason?: string): Promise<boolean>;
  restore(subscriptionId: string): Promise<boolean>;
  setReasonFilter(reason: ReasonFilter): void;
  setSearch(text: string): void;
};

const describe = (row: { subscription: { productName: string; companyName: string } | null }, id: string) =>
  row.subscription
    ? `${row.subscription.productName} (${row.subscription.companyName})`
    : `subscription ${id}`;

export function createAuditModel({ api }: { api: Api }): AuditModel {
  const state = signal<AuditState>({ status: 'loading' });
  const refreshing = signal(false);
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
  const nonArrears = createPaging(visible);
  const arrears = createPaging(computed(() => audit.value?.arrears ?? []));
  const ignored = createPaging(computed(() => audit.value?.ignored ?? []));

  const fetchAudit = async (): Promise<UnsyncedAudit | undefined> => {
    const mine = ++seq;
    if (state.peek().status === 'ready') refreshing.value = true;
    else state.value = { status: 'loading' };
    try {
      const loaded = await api.get('/api/audit/unsynced', UnsyncedAuditSchema);
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
    const after = await fetchAudit();
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
