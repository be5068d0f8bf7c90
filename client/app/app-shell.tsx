// The app behind Companies › Pax8: who is signed in, a clear notice until the session is ready (or when the
// page is opened outside ConnectWise), then three sections as tabs: Companies, Subscriptions, Unsynced.
import type { JSX } from 'preact';
import type { RecordViewDeps } from '../pod/views/record-view.tsx';
import { SECTIONS, type Section } from '../state/app-nav-model.ts';
import type { AppRoot } from '../state/app-root-model.ts';
import type { SessionModel } from '../state/session-model.ts';
import { Notice } from '../ui/notice.tsx';
import { CompaniesSection } from './companies-section.tsx';
import { SubscriptionsSection } from './subscriptions-section.tsx';
import { UnsyncedSection } from './unsynced-section.tsx';

const titles: Record<Section, string> = {
  companies: 'Companies',
  subscriptions: 'Subscriptions',
  unsynced: 'Unsynced Subscriptions',
};

function Tabs({ root }: { root: AppRoot }) {
  const current = root.nav.section.value;
  const onKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const edge = e.key === 'Home' ? SECTIONS[0] : e.key === 'End' ? SECTIONS[SECTIONS.length - 1] : undefined;
    if (!step && !edge) return;
    e.preventDefault();
    const i = SECTIONS.indexOf(current);
    const next = edge ?? SECTIONS[(i + step + SECTIONS.length) % SECTIONS.length]!;
    root.nav.show(next);
    document.getElementById(`app-tab-${next}`)?.focus();
  };
  return (
    <div class="app-tabs" role="tablist" aria-label="Pax8 sections" onKeyDown={onKeyDown}>
      {SECTIONS.map((s) => (
        <button
          key={s}
          type="button"
          role="tab"
          id={`app-tab-${s}`}
          class="app-tab"
          aria-selected={s === current}
          aria-controls="app-panel"
          tabIndex={s === current ? 0 : -1}
          onClick={() => root.nav.show(s)}
        >
          {titles[s]}
        </button>
      ))}
    </div>
  );
}

function Panel({ root, deps }: { root: AppRoot; deps: RecordViewDeps }) {
  const section = root.nav.section.value;
  const announcement =
    section === 'unsynced' ? root.audit.announcement.value : root.companies.announcement.value;
  return (
    <>
      <Tabs root={root} />
      <section id="app-panel" class="app-panel" role="tabpanel" aria-labelledby={`app-tab-${section}`}>
        <h2 class="sr-only">{titles[section]}</h2>
        {section === 'companies' && <CompaniesSection root={root} />}
        {section === 'subscriptions' && <SubscriptionsSection root={root} deps={deps} />}
        {section === 'unsynced' && <UnsyncedSection root={root} />}
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
}: {
  session: SessionModel;
  root: AppRoot;
  deps: RecordViewDeps;
}) {
  const state = session.state.value;
  const retry = { label: 'Retry', onClick: () => void session.retry() };
  let body: JSX.Element;
  switch (state.status) {
    case 'connecting':
      body = <Notice tone="progress" title="Connecting to ConnectWise…" />;
      break;
    case 'signing-in':
      body = <Notice tone="progress" title="Signing in…" />;
      break;
    case 'not-in-connectwise':
      body = (
        <Notice
          tone="warn"
          title="Not in ConnectWise"
          {...(state.reason === 'timeout' ? { action: retry } : {})}
        >
          <p>
            {state.reason === 'timeout'
              ? 'ConnectWise did not answer. Reload the page, or retry.'
              : 'This page runs inside ConnectWise Manage: open it from Companies › Pax8.'}
          </p>
        </Notice>
      );
      break;
    case 'failed':
      body = (
        <Notice tone="error" title="Could not sign in" action={retry}>
          <p>{state.message}</p>
        </Notice>
      );
      break;
    case 'signed-in':
      body = <Panel root={root} deps={deps} />;
      break;
  }
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
