// The "Modify quantity" / "Cancel subscription" form of a pod row (guide: one-step checkout): the new quantity,
// "I want to waive prorate", the terms acceptance, and one submit. The idempotency key is made when the form opens
// and kept while its figures stay the same, so a double click or a retry after a lost answer changes seats once.
import { batch, computed, type ReadonlySignal, signal } from '@preact/signals';
import * as v from 'valibot';
import { type Api, ApiError } from './api.ts';

export const SeatResultSchema = v.object({
  changeId: v.string(),
  subscriptionId: v.string(),
  action: v.picklist(['quantity', 'cancel']),
  fromQuantity: v.number(),
  toQuantity: v.number(),
  waiveProrate: v.boolean(),
  changeKey: v.nullable(v.string()),
  replayed: v.boolean(),
  subscription: v.object({
    quantity: v.number(),
    status: v.string(),
    productName: v.string(),
    billingTerm: v.string(),
  }),
});
export type SeatResult = v.InferOutput<typeof SeatResultSchema>;

/** GET /api/subscriptions/:id/seats: the term and the NCE window, read when the form opens. */
export const SeatInfoSchema = v.object({
  subscriptionId: v.string(),
  term: v.string(),
  window: v.nullable(v.object({ closesAt: v.string(), open: v.boolean(), renewsOn: v.nullable(v.string()) })),
});
export type SeatInfo = v.InferOutput<typeof SeatInfoSchema>;

export type SeatTarget = {
  id: string;
  productName: string;
  billingTerm: string;
  quantity: number;
  status: string;
};
export type SeatMode = 'quantity' | 'cancel';

export type SeatState =
  | { status: 'idle' }
  | { status: 'submitting' }
  | { status: 'error'; message: string; field?: 'quantity' | 'accept' }
  | { status: 'done'; result: SeatResult };

export type SeatChangeModel = {
  open: ReadonlySignal<{ target: SeatTarget; mode: SeatMode } | null>;
  quantity: ReadonlySignal<string>;
  waive: ReadonlySignal<boolean>;
  accept: ReadonlySignal<boolean>;
  state: ReadonlySignal<SeatState>;
  /** The term and window of the open form's subscription; undefined while loading or when it could not be read. */
  info: ReadonlySignal<SeatInfo | undefined>;
  /** The seats the form would set, or null when the text is not a whole number. */
  parsed: ReadonlySignal<number | null>;
  start(target: SeatTarget, mode: SeatMode): void;
  setQuantity(text: string): void;
  setWaive(on: boolean): void;
  setAccept(on: boolean): void;
  close(): void;
  submit(): Promise<SeatResult | null>;
};

export type SeatChangeDeps = {
  api: Api;
  /** A fresh idempotency key (tests pass a counter). */
  newKey?: () => string;
  /** After Pax8 took the change: the record view reloads and opens the sync wizard for the agreement. */
  onChanged?: (result: SeatResult, target: SeatTarget) => void | Promise<void>;
};

export function createSeatChangeModel(deps: SeatChangeDeps): SeatChangeModel {
  const newKey = deps.newKey ?? (() => crypto.randomUUID());
  const open = signal<{ target: SeatTarget; mode: SeatMode } | null>(null);
  const quantity = signal('');
  const waive = signal(false);
  const accept = signal(false);
  const state = signal<SeatState>({ status: 'idle' });
  const info = signal<SeatInfo | undefined>(undefined);
  let key = newKey();
  let infoSeq = 0;
  // Not needed to submit (the server checks the window again): a failed read only leaves the note out.
  const loadInfo = async (id: string) => {
    const mine = ++infoSeq;
    try {
      const got = await deps.api.get(`/api/subscriptions/${encodeURIComponent(id)}/seats`, SeatInfoSchema);
      if (mine === infoSeq) info.value = got;
    } catch {
      if (mine === infoSeq) info.value = undefined;
    }
  };
  const parsed = computed(() => {
    const text = quantity.value.trim();
    return /^\d{1,7}$/.test(text) ? Number(text) : null;
  });
  // Another change (other figures) is another key: the server refuses a key reused for other figures.
  const changed = () => {
    key = newKey();
    if (state.peek().status !== 'submitting') state.value = { status: 'idle' };
  };

  const submit = async (): Promise<SeatResult | null> => {
    const form = open.peek();
    if (!form || state.peek().status === 'submitting') return null;
    const seats = parsed.peek();
    if (form.mode === 'quantity') {
      if (seats === null) {
        state.value = {
          status: 'error',
          field: 'quantity',
          message: 'Enter the new quantity as a whole number.',
        };
        return null;
      }
      if (seats === form.target.quantity) {
        state.value = {
          status: 'error',
          field: 'quantity',
          message: `The subscription already has ${seats} seats: enter another quantity.`,
        };
        return null;
      }
    }
    if (!accept.peek()) {
      state.value = {
        status: 'error',
        field: 'accept',
        message: 'Accept the terms and conditions to continue.',
      };
      return null;
    }
    state.value = { status: 'submitting' };
    const path = `/api/subscriptions/${encodeURIComponent(form.target.id)}/${form.mode}`;
    const body =
      form.mode === 'quantity'
        ? { quantity: seats, waiveProrate: waive.peek(), acceptTerms: true, idempotencyKey: key }
        : { waiveProrate: waive.peek(), acceptTerms: true, idempotencyKey: key };
    try {
      const result = await deps.api.post(path, body, SeatResultSchema);
      batch(() => {
        state.value = { status: 'done', result };
        open.value = null;
      });
      await deps.onChanged?.(result, form.target);
      return result;
    } catch (err) {
      // The same key stays: trying again after "Pax8 did not answer" cannot change seats twice.
      const message = err instanceof ApiError || err instanceof Error ? err.message : 'The change failed';
      state.value = { status: 'error', message };
      return null;
    }
  };

  return {
    open,
    quantity,
    waive,
    accept,
    state,
    info,
    parsed,
    start(target, mode) {
      key = newKey();
      batch(() => {
        open.value = { target, mode };
        quantity.value = String(target.quantity);
        waive.value = false;
        accept.value = false;
        state.value = { status: 'idle' };
        info.value = undefined;
      });
      void loadInfo(target.id);
    },
    setQuantity(text) {
      if (text === quantity.peek()) return;
      quantity.value = text;
      changed();
    },
    setWaive(on) {
      if (on === waive.peek()) return;
      waive.value = on;
      changed();
    },
    setAccept(on) {
      accept.value = on;
      const s = state.peek();
      if (s.status === 'error' && s.field === 'accept' && on) state.value = { status: 'idle' };
    },
    close() {
      open.value = null;
      state.value = { status: 'idle' };
    },
    submit,
  };
}
