// The scheduled sync as the app shows it (issue 11 item 3): its setting (saved with PATCH /api/setup/settings),
// the next run, the latest runs' summaries, and the open to-do list — review the selected (the bulk review opens
// with them; the server approves them when it is confirmed) or dismiss them. Loaded through the injected api; components only render it.
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import * as v from 'valibot';
import type { Api } from './api.ts';
import type { BulkItem } from './bulk-model.ts';

const MoneyCountSchema = v.object({ lines: v.number(), price: v.string() });

export const ScheduleViewSchema = v.object({
  schedule: v.nullable(
    v.object({
      enabled: v.boolean(),
      timeOfDay: v.string(),
      timeZone: v.string(),
      recurringSeatsBelow: v.nullable(v.number()),
      proratesUnderCents: v.nullable(v.number()),
    }),
  ),
  nextRunAt: v.nullable(v.string()),
  runs: v.array(
    v.object({
      id: v.string(),
      slot: v.string(),
      state: v.string(),
      summary: v.nullable(
        v.union([
          v.object({
            checked: v.number(),
            outOfStep: v.number(),
            proposed: MoneyCountSchema,
            autoApplied: v.object({ lines: v.number(), price: v.string(), rules: v.array(v.string()) }),
            waiting: MoneyCountSchema,
            refused: v.array(v.object({ subscriptionId: v.string(), code: v.string(), message: v.string() })),
            statement: v.string(),
          }),
          v.object({ error: v.string() }),
        ]),
      ),
      job: v.nullable(
        v.object({
          id: v.string(),
          state: v.string(),
          total: v.number(),
          done: v.number(),
          failed: v.number(),
        }),
      ),
    }),
  ),
  todos: v.array(
    v.object({
      id: v.string(),
      subscriptionId: v.string(),
      agreementId: v.number(),
      reason: v.string(),
      line: v.object({
        productName: v.string(),
        title: v.string(),
        kind: v.string(),
        action: v.string(),
        quantity: v.number(),
        totalPrice: v.string(),
      }),
    }),
  ),
});
export type ScheduleView = v.InferOutput<typeof ScheduleViewSchema>;
export type Todo = ScheduleView['todos'][number];
export type Run = ScheduleView['runs'][number];

/** The form's values as typed (amounts and counts as text until saved). */
export type ScheduleDraft = {
  enabled: boolean;
  timeOfDay: string;
  timeZone: string;
  recurringSeatsBelow: string;
  proratesUnder: string;
};

export type ScheduleLoad =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; view: ScheduleView }
  | { status: 'failed'; message: string };

export type ScheduleModel = {
  loaded: ReadonlySignal<ScheduleLoad>;
  draft: ReadonlySignal<ScheduleDraft>;
  selected: ReadonlySignal<ReadonlySet<string>>;
  /** The last save, approve or dismiss in words (a live region reads it). */
  message: ReadonlySignal<string>;
  busy: ReadonlySignal<boolean>;
  load(): Promise<void>;
  set<K extends keyof ScheduleDraft>(key: K, value: ScheduleDraft[K]): void;
  save(): Promise<void>;
  toggle(id: string): void;
  selectAll(on: boolean): void;
  approve(): Promise<void>;
  dismiss(): Promise<void>;
};

const messageOf = (e: unknown) => (e instanceof Error ? e.message : 'Unexpected error');

/** 2500 → '25.00'. */
const amountOf = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

function draftOf(s: ScheduleView['schedule']): ScheduleDraft {
  return {
    enabled: s?.enabled ?? false,
    timeOfDay: s?.timeOfDay ?? '06:00',
    timeZone: s?.timeZone ?? 'UTC',
    recurringSeatsBelow: s?.recurringSeatsBelow == null ? '' : String(s.recurringSeatsBelow),
    proratesUnder: s?.proratesUnderCents == null ? '' : amountOf(s.proratesUnderCents),
  };
}

export function createScheduleModel(deps: {
  api: Api;
  /** Opens the bulk review with these subscriptions (the board's hand-off). */
  review: (items: BulkItem[]) => void;
}): ScheduleModel {
  const { api } = deps;
  const loaded = signal<ScheduleLoad>({ status: 'idle' });
  const draft = signal<ScheduleDraft>(draftOf(null));
  const selected = signal<ReadonlySet<string>>(new Set());
  const message = signal('');
  const busy = signal(false);
  const todos = computed(() => (loaded.value.status === 'ready' ? loaded.value.view.todos : []));

  async function load() {
    if (loaded.peek().status !== 'ready') loaded.value = { status: 'loading' };
    try {
      const view = await api.get('/api/schedule', ScheduleViewSchema);
      loaded.value = { status: 'ready', view };
      draft.value = draftOf(view.schedule);
      const open = new Set(view.todos.map((t) => t.id));
      selected.value = new Set([...selected.peek()].filter((id) => open.has(id)));
    } catch (e) {
      loaded.value = { status: 'failed', message: messageOf(e) };
    }
  }

  async function dismissChosen(): Promise<Todo[]> {
    const chosen = todos.value.filter((t) => selected.value.has(t.id));
    if (chosen.length === 0 || busy.value) return [];
    busy.value = true;
    try {
      await api.post('/api/schedule/todos/close', { ids: chosen.map((t) => t.id), as: 'dismissed' });
      selected.value = new Set();
      await load();
      return chosen;
    } catch (e) {
      message.value = `Not done: ${messageOf(e)}`;
      return [];
    } finally {
      busy.value = false;
    }
  }

  return {
    loaded,
    draft,
    selected,
    message,
    busy,
    load,
    set(key, value) {
      draft.value = { ...draft.value, [key]: value };
    },
    async save() {
      if (busy.value) return;
      busy.value = true;
      const d = draft.value;
      try {
        await api.request('PATCH', '/api/setup/settings', {
          body: {
            schedule: {
              enabled: d.enabled,
              timeOfDay: d.timeOfDay,
              timeZone: d.timeZone.trim(),
              recurringSeatsBelow: d.recurringSeatsBelow.trim() === '' ? null : Number(d.recurringSeatsBelow),
              proratesUnder: d.proratesUnder.trim() === '' ? null : d.proratesUnder.trim(),
            },
          },
        });
        message.value = d.enabled ? 'Saved. The scheduled sync is on.' : 'Saved. The scheduled sync is off.';
        await load();
      } catch (e) {
        message.value = `Not saved: ${messageOf(e)}`;
      } finally {
        busy.value = false;
      }
    },
    toggle(id) {
      const next = new Set(selected.value);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      selected.value = next;
    },
    selectAll(on) {
      selected.value = on ? new Set(todos.value.map((t) => t.id)) : new Set();
    },
    async approve() {
      // The to-dos stay open: the server approves them when the review is confirmed (a review closed unconfirmed
      // leaves them on the list).
      const chosen = todos.value.filter((t) => selected.value.has(t.id));
      if (chosen.length === 0 || busy.value) return;
      const items = new Map(chosen.map((t) => [`${t.subscriptionId}:${t.agreementId}`, t]));
      selected.value = new Set();
      message.value = `${chosen.length} to-do(s) opened in the review: they close when it is confirmed.`;
      deps.review(
        [...items.values()].map((t) => ({ subscriptionId: t.subscriptionId, agreementId: t.agreementId })),
      );
    },
    async dismiss() {
      const chosen = await dismissChosen();
      if (chosen.length > 0) message.value = `${chosen.length} to-do(s) dismissed.`;
    },
  };
}
