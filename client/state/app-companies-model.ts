// The Companies section: every ConnectWise company beside its Pax8 company (or likely matches), filtered
// and paged, with binding to a match in place (the row updates without reloading the list).
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import type { Api } from './api.ts';
import { createPaging, type Paging } from './app-paging.ts';
import { CompaniesSchema, type CompanyRow } from './app-schemas.ts';
import { BindCompanyResultSchema } from './pod-schemas.ts';
import { withEntry, withMember, wordMatcher } from './search.ts';

export type CompaniesState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; companies: CompanyRow[]; pax8Companies: number };

export type CompanyFilter = 'all' | 'bound' | 'unbound';

export type CompaniesModel = {
  state: ReadonlySignal<CompaniesState>;
  filter: ReadonlySignal<CompanyFilter>;
  search: ReadonlySignal<string>;
  /** The companies that pass the filter and search, paged. */
  paging: Paging<CompanyRow>;
  matching: ReadonlySignal<number>;
  bound: ReadonlySignal<CompanyRow[]>;
  /** CW company ids with a bind in flight, and the last error per company. */
  binding: ReadonlySignal<ReadonlySet<number>>;
  errors: ReadonlySignal<ReadonlyMap<number, string>>;
  announcement: ReadonlySignal<string>;
  load(): Promise<void>;
  setFilter(filter: CompanyFilter): void;
  setSearch(text: string): void;
  bind(cwCompanyId: number, pax8CompanyId: string): Promise<boolean>;
};

export function createCompaniesModel({ api }: { api: Api }): CompaniesModel {
  const state = signal<CompaniesState>({ status: 'loading' });
  const filter = signal<CompanyFilter>('all');
  const search = signal('');
  const binding = signal<ReadonlySet<number>>(new Set());
  const errors = signal<ReadonlyMap<number, string>>(new Map());
  const announcement = signal('');

  const companies = computed(() => {
    const s = state.value;
    return s.status === 'ready' ? s.companies : [];
  });
  const visible = computed(() => {
    const matches = wordMatcher(search.value);
    return companies.value.filter((c) => {
      if (filter.value === 'bound' && !c.pax8Company) return false;
      if (filter.value === 'unbound' && c.pax8Company) return false;
      return matches(`${c.cwCompany.name} ${c.cwCompany.identifier} ${c.pax8Company?.name ?? ''}`);
    });
  });
  const paging = createPaging(visible, 25);

  const setBinding = (id: number, on: boolean) => {
    binding.value = withMember(binding.peek(), id, on);
  };
  const setError = (id: number, message: string | undefined) => {
    errors.value = withEntry(errors.peek(), id, message);
  };

  return {
    state,
    filter,
    search,
    paging,
    matching: computed(() => visible.value.length),
    bound: computed(() => companies.value.filter((c) => c.pax8Company !== null)),
    binding,
    errors,
    announcement,
    async load() {
      if (state.peek().status !== 'ready') state.value = { status: 'loading' };
      try {
        const res = await api.get('/api/companies', CompaniesSchema);
        state.value = { status: 'ready', companies: res.companies, pax8Companies: res.counts.pax8Companies };
        announcement.value = `${res.counts.cwCompanies} ConnectWise companies, ${res.counts.bound} bound to Pax8`;
      } catch (err) {
        state.value = { status: 'error', message: messageOf(err, 'The companies could not be loaded') };
      }
    },
    setFilter(next) {
      filter.value = next;
      paging.first();
    },
    setSearch(text) {
      search.value = text;
      paging.first();
    },
    async bind(cwCompanyId, pax8CompanyId) {
      const s = state.peek();
      if (s.status !== 'ready' || binding.peek().has(cwCompanyId)) return false;
      const row = s.companies.find((c) => c.cwCompany.id === cwCompanyId);
      const candidate = row?.candidates.find((c) => c.pax8CompanyId === pax8CompanyId);
      if (!row || !candidate) return false;
      setBinding(cwCompanyId, true);
      setError(cwCompanyId, undefined);
      try {
        await api.post('/api/bindings/company', { cwCompanyId, pax8CompanyId }, BindCompanyResultSchema);
      } catch (err) {
        const message = messageOf(err, 'The company could not be bound');
        setError(cwCompanyId, message);
        announcement.value = `${row.cwCompany.name}: ${message}`;
        setBinding(cwCompanyId, false);
        return false;
      }
      // The Pax8 company is taken now: it is no longer a likely match for anyone else.
      const current = state.peek();
      if (current.status === 'ready') {
        state.value = {
          ...current,
          companies: current.companies.map((c) =>
            c.cwCompany.id === cwCompanyId
              ? { ...c, pax8Company: { id: pax8CompanyId, name: candidate.name }, candidates: [] }
              : { ...c, candidates: c.candidates.filter((k) => k.pax8CompanyId !== pax8CompanyId) },
          ),
        };
      }
      setBinding(cwCompanyId, false);
      announcement.value = `${row.cwCompany.name} is now bound to ${candidate.name}.`;
      return true;
    },
  };
}
