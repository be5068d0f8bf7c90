// The app behind Companies › Pax8: who is signed in, a clear notice until the session is ready (or when the
// page is opened outside ConnectWise), then the sections as tabs: Companies, Subscriptions, Unsynced, Settings.
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { RecordViewDeps } from '../pod/views/record-view.tsx';
import { SECTIONS, type Section } from '../state/app-nav-model.ts';
import type { AppRoot } from '../state/app-root-model.ts';
import { createSettingsModel, type SettingsModel } from '../state/app-settings-model.ts';
import { createScheduleModel } from '../state/schedule-model.ts';
import type { SessionModel } from '../state/session-model.ts';
import { type SessionAdvice, SessionNotice } from '../ui/session-notice.tsx';
import { BoardSection } from './board-section.tsx';
import { openBulkReview } from './bulk-bridge.ts';
import { BulkHost } from './bulk-review.tsx';
import { CompaniesSection } from './companies-section.tsx';
import { ScheduleForm, ScheduleTodos } from './schedule-section.tsx';
import { SettingsSection } from './settings-section.tsx';
import { SubscriptionsSection } from './subscriptions-section.tsx';
import { UnsyncedSection } from './unsynced-section.tsx';

const advice: SessionAdvice = {
  timeout: 'ConnectWise did not answer. Reload the page, or retry.',
  notFramed: 'This page runs inside ConnectWise Manage: open it from Companies › Pax8.',
};

/** Settings is a tab of the shell, not a navigable section: nothing links into it from the other sections. */
type Tab = Section | 'settings';
const TABS: readonly Tab[] = [...SECTIONS, 'settings'];

const titles: Record<Tab, string> = {
  board: 'Board',
  companies: 'Companies',
  subscriptions: 'Subscriptions',
  unsynced: 'Unsynced Subscriptions',
  settings: 'Settings',
};

function Tabs({ current, show }: { current: Tab; show: (tab: Tab) => void }) {
  const onKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const edge = e.key === 'Home' ? TABS[0] : e.key === 'End' ? TABS[TABS.length - 1] : undefined;
    if (!step && !edge) return;
    e.preventDefault();
    const i = TABS.indexOf(current);
    const next = edge ?? TABS[(i + step + TABS.length) % TABS.length]!;
    show(next);
    document.getElementById(`app-tab-${next}`)?.focus();
  };
  return (
    <div class="app-tabs" role="tablist" aria-label="Pax8 sections" onKeyDown={onKeyDown}>
      {TABS.map((s) => (
        <button
          key={s}
          type="button"
          role="tab"
          id={`app-tab-${s}`}
          class="app-tab"
          aria-selected={s === current}
          aria-controls="app-panel"
          tabIndex={s === current ? 0 : -1}
          onClick={() => show(s)}
        >
          {titles[s]}
        </button>
      ))}
    </div>
  );
}

function Panel({ root, deps, settings }: { root: AppRoot; deps: RecordViewDeps; settings: SettingsModel }) {
  const [settingsOpen, setSettingsOpen] = useState(false);
  // The scheduled sync's to-do list sits on the board (the app's home, issue 11) and on the out-of-step list; its
  // form on Settings.
  const schedule = useMemo(() => createScheduleModel({ api: deps.api, review: openBulkReview }), [deps.api]);
  const section = root.nav.section.value;
  const current: Tab = settingsOpen ? 'settings' : section;
  const show = (tab: Tab) => {
    setSettingsOpen(tab === 'settings');
    if (tab !== 'settings') root.nav.show(tab);
  };
  const announcement =
    current === 'settings'
      ? ''
      : section === 'unsynced'
        ? root.audit.announcement.value
        : section === 'board'
          ? root.board.announcement.value
          : root.companies.announcement.value;
  return (
    <>
      <Tabs current={current} show={show} />
      <section id="app-panel" class="app-panel" role="tabpanel" aria-labelledby={`app-tab-${current}`}>
        <h2 class="sr-only">{titles[current]}</h2>
        <BulkHost
          api={deps.api}
          onFinished={(job) => {
            // The rows an apply wrote leave the board's selection; its failed ones stay, ready to try again.
            if (job.kind === 'apply') root.board.unselectDone(job.items);
            void root.board.load();
          }}
        >
          {current === 'board' && <ScheduleTodos model={schedule} />}
          {current === 'board' && <BoardSection model={root.board} />}
          {current === 'companies' && <CompaniesSection root={root} />}
          {current === 'subscriptions' && <SubscriptionsSection root={root} deps={deps} />}
          {current === 'unsynced' && <ScheduleTodos model={schedule} />}
          {current === 'unsynced' && <UnsyncedSection root={root} />}
          {current === 'settings' && <SettingsSection model={settings} />}
          {current === 'settings' && <ScheduleForm model={schedule} />}
        </BulkHost>
      </section>
      <p class="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}

export function AppShell({
  session,
  root,
  deps,
  settings,
}: {
  session: SessionModel;
  root: AppRoot;
  deps: RecordViewDeps;
  /** The Settings tab's model; made from deps.api when not given (tests pass their own). */
  settings?: SettingsModel;
}) {
  const ownSettings = useMemo(() => settings ?? createSettingsModel({ api: deps.api }), [settings, deps.api]);
  const state = session.state.value;
  const body =
    state.status === 'signed-in' ? (
      <Panel root={root} deps={deps} settings={ownSettings} />
    ) : (
      <SessionNotice model={session} state={state} advice={advice} />
    );
  return (
    <div class="app-root">
      <header class="app-head">
        <h1>Pax8</h1>
        {state.status === 'signed-in' && (
          <p>
            Signed in as <strong>{state.session.member.name}</strong> · {state.session.tenant.name}
          </p>
        )}
      </header>
      <main class="app">{body}</main>
    </div>
  );
}
