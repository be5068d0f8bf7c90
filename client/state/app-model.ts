// The full-width "Pax8" page: the tenant's bound companies, each opened on demand into its company view.
import { type ReadonlySignal, signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import type { Api } from './api.ts';
import { BindingsListSchema } from './pod-schemas.ts';

export type BoundCompany = { cwCompanyId: number; pax8CompanyId: string };
export type AppListState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; companies: BoundCompany[] };

export type AppModel = {
  list: ReadonlySignal<AppListState>;
  /** The CW company ids opened, in the order they were opened. */
  open: ReadonlySignal<number[]>;
  load(): Promise<void>;
  toggle(cwCompanyId: number): void;
};

export function createAppModel({ api }: { api: Api }): AppModel {
  const list = signal<AppListState>({ status: 'loading' });
  const open = signal<number[]>([]);
  return {
    list,
    open,
    async load() {
      list.value = { status: 'loading' };
      try {
        const { companies } = await api.get('/api/bindings', BindingsListSchema);
        list.value = { status: 'ready', companies };
      } catch (err) {
        list.value = { status: 'error', message: messageOf(err, 'The bound companies could not be loaded') };
      }
    },
    toggle(cwCompanyId) {
      const now = open.peek();
      open.value = now.includes(cwCompanyId) ? now.filter((id) => id !== cwCompanyId) : [...now, cwCompanyId];
    },
  };
}
