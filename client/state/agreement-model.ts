// The record view's state: the agreement (or company) in context, its Pax8 binding or the candidates to
// bind, and one row per Pax8 subscription with its status. Binding in place reloads the view.
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import * as v from 'valibot';
import type { Api } from './api.ts';
import {
  type Agreement,
  AgreementViewSchema,
  BindCompanyResultSchema,
  type Candidate,
  type CompanyBinding,
  CompanySearchSchema,
  CompanyViewSchema,
  type Ghost,
  type ViewRow,
} from './pod-schemas.ts';

/** An agreement view and a company view, told apart by `kind` and read the same way. */
export type RecordView = {
  kind: 'agreement' | 'company';
  company: { id: number; name: string };
  /** The agreement in context, or the company's active agreements. */
  agreements: Agreement[];
  binding: CompanyBinding;
  candidates: Candidate[];
  rows: ViewRow[];
  /** Additions billed with no Pax8 subscription behind them; each names its agreement. */
  ghosts: Ghost[];
  warnings: { code: string; message: string }[];
};

export type ViewState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; view: RecordView };

export type BindState = { status: 'idle' } | { status: 'binding' } | { status: 'error'; message: string };

export type AgreementModel = {
  state: ReadonlySignal<ViewState>;
  /** Rows whose status is not `synced`, plus ghosts: the count shown at the top. */
  outOfStep: ReadonlySignal<number>;
  bind: ReadonlySignal<BindState>;
  /** Filter typed into the candidate search. */
  candidateSearch: ReadonlySignal<string>;
  /** Candidates that match the search, likely matches (highest score) first. */
  candidates: ReadonlySignal<Candidate[]>;
  /** Set after a reload triggered by the user or by ConnectWise, for the aria-live line. */
  announcement: ReadonlySignal<string>;
  load(): Promise<void>;
  setCandidateSearch(text: string): void;
  bindCompany(pax8CompanyId: string): Promise<boolean>;
};

export type AgreementModelDeps = {
  api: Api;
  record: { kind: 'agreement' | 'company'; id: number };
  /**
   * This record's view as it came with the session (GET /api/views's answer): the first load shows it
   * without a request of its own; a later load (or one it does not pass the schema) asks the server.
   */
  initial?: unknown;
};

/**
 * Rows out of step plus ghosts. A ghost whose addition an out-of-step row already shows (a cancelled
 * subscription's row still matches its addition) is one thing to fix, so it counts once.
 */
export function outOfStepOf(view: Pick<RecordView, 'rows' | 'ghosts'>): number {
  const rows = view.rows.filter((r) => r.status !== 'synced');
  const shown = new Set(rows.flatMap((r) => (r.addition ? [r.addition.id] : [])));
  return rows.length + view.ghosts.filter((g) => !shown.has(g.addition.id)).length;
}

export function messageOf(err: unknown, fallback = 'Something went wrong'): string {
  return err instanceof Error && err.message ? err.message : fallback;
}

/** Typing pauses this long before the server is asked. */
export const SEARCH_DELAY_MS = 250;

export function createAgreementModel({ api, record, initial }: AgreementModelDeps): AgreementModel {
  let given = initial;
  /** The view that came with the session, once, when it is what the schema says; else the server's. */
  const viewOf = <T>(path: string, schema: v.GenericSchema<unknown, T>): Promise<T> => {
    const first = given;
    given = undefined;
    if (first !== undefined) {
      const parsed = v.safeParse(schema, first);
      if (parsed.success) return Promise.resolve(parsed.output);
    }
    return api.get(path, schema);
  };
  const state = signal<ViewState>({ status: 'loading' });
  const bind = signal<BindState>({ status: 'idle' });
  const candidateSearch = signal('');
  const announcement = signal('');
  let seq = 0;

  const view = computed(() => {
    const s = state.value;
    return s.status === 'ready' ? s.view : undefined;
  });
  const outOfStep = computed(() => (view.value ? outOfStepOf(view.value) : 0));
  // What the server found for the typed text: any unbound Pax8 company, not only the view's likely matches.
  const searched = signal<{ text: string; results: Candidate[] } | null>(null);
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let searchSeq = 0;
  const search = (text: string) => {
    clearTimeout(searchTimer);
    const q = text.trim();
    if (q.length < 2) {
      searchSeq++;
      searched.value = null;
      return;
    }
    searchTimer = setTimeout(async () => {
      const mine = ++searchSeq;
      try {
        const found = await api.get(
          `/api/pax8/companies?search=${encodeURIComponent(q)}`,
          CompanySearchSchema,
        );
        if (mine === searchSeq) searched.value = { text: q, results: found.companies };
      } catch {
        if (mine === searchSeq) searched.value = { text: q, results: [] };
      }
    }, SEARCH_DELAY_MS);
  };
  const candidates = computed(() => {
    const all = [...(view.value?.candidates ?? [])].sort(
      (a, b) => b.score - a.score || a.name.localeCompare(b.name),
    );
    const words = candidateSearch.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return all;
    const likely = all.filter((c) => words.every((w) => c.name.toLowerCase().includes(w)));
    const found = searched.value?.text === candidateSearch.value.trim() ? searched.value.results : [];
    const seen = new Set(likely.map((c) => c.pax8CompanyId));
    return [...likely, ...found.filter((c) => !seen.has(c.pax8CompanyId))];
  });

  const fetchView = async (): Promise<RecordView> => {
    if (record.kind === 'agreement') {
      const got = await viewOf(`/api/views/agreement/${record.id}`, AgreementViewSchema);
      return {
        kind: 'agreement',
        company: got.agreement.company,
        agreements: [got.agreement],
        binding: got.binding,
        candidates: got.candidates,
        rows: got.rows,
        ghosts: got.ghosts,
        warnings: got.warnings,
      };
    }
    const got = await viewOf(`/api/views/company/${record.id}`, CompanyViewSchema);
    return { kind: 'company', ...got };
  };

  const load = async () => {
    const mine = ++seq;
    // Keep showing the old view while reloading; only the first load shows the loading state.
    if (state.peek().status !== 'ready') state.value = { status: 'loading' };
    try {
      const loaded = await fetchView();
      if (mine !== seq) return;
      state.value = { status: 'ready', view: loaded };
      const subs = loaded.rows.length;
      const ghosts = loaded.ghosts.length;
      announcement.value = loaded.binding
        ? [
            `${subs} subscription${subs === 1 ? '' : 's'}`,
            `${outOfStepOf(loaded)} out of step`,
            ...(ghosts ? [`${ghosts} billed without a Pax8 subscription`] : []),
          ].join(', ')
        : `${loaded.company.name} is not bound to a Pax8 company`;
    } catch (err) {
      if (mine !== seq) return;
      state.value = { status: 'error', message: messageOf(err, 'The view could not be loaded') };
    }
  };

  const bindCompany = async (pax8CompanyId: string) => {
    const current = view.peek();
    if (!current || bind.peek().status === 'binding') return false;
    bind.value = { status: 'binding' };
    try {
      await api.post(
        '/api/bindings/company',
        { cwCompanyId: current.company.id, pax8CompanyId },
        BindCompanyResultSchema,
      );
      bind.value = { status: 'idle' };
      candidateSearch.value = '';
      search('');
      await load();
      return true;
    } catch (err) {
      bind.value = { status: 'error', message: messageOf(err, 'The company could not be bound') };
      return false;
    }
  };

  return {
    state,
    outOfStep,
    bind,
    candidateSearch,
    candidates,
    announcement,
    load,
    setCandidateSearch: (text) => {
      candidateSearch.value = text;
      search(text);
    },
    bindCompany,
  };
}
