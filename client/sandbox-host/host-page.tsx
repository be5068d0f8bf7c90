// The sandbox ConnectWise window: top bar, left navigation, breadcrumbs, a record screen with its
// Pax8 tab, and the pod panel on the right, framed from the registered hosted setups.
import { Notice } from '../ui/notice.tsx';
import { ClockBar } from './clock-bar.tsx';
import type { ClockModel } from './clock-model.ts';
import { menuEntriesAt, menuFrame, type ScreenKind } from './frames.ts';
import type { HostModel } from './host-model.ts';
import { HostedFrame } from './hosted-frame.tsx';
import { InvoicesTable } from './invoices-table.tsx';
import { ProtocolLog } from './protocol-log.tsx';
import { RecordFields, RecordPicker } from './record-screen.tsx';

// [menu section, list, the record tab's label]
const screenTitles: Record<ScreenKind, [string, string, string]> = {
  agreement: ['Finance', 'Agreements', 'Agreement'],
  company: ['Companies', 'Companies', 'Company'],
  companyfinance: ['Companies', 'Company Finance', 'Finance'],
};

function NavLink({ model, kind, label }: { model: HostModel; kind: ScreenKind; label: string }) {
  const current = model.kind.value === kind && model.menu.value === undefined;
  return (
    <li>
      <a
        href={`?screen=${kind}`}
        aria-current={current ? 'page' : undefined}
        onClick={(e) => {
          e.preventDefault();
          model.select(kind);
        }}
      >
        {label}
      </a>
    </li>
  );
}

/** The custom menu entries under a nav section, each opening its page in the main area. */
function MenuLinks({ model, location }: { model: HostModel; location: string }) {
  return (
    <>
      {menuEntriesAt(model.menuEntries.value, location, model.credentials.tenantKey).map(({ entry }) => (
        <li key={`menu-${entry.id}`}>
          <a
            href={`?menu=${entry.id}`}
            aria-current={model.menu.value === entry.id ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              model.openMenu(entry.id);
            }}
          >
            {entry.caption}
          </a>
        </li>
      ))}
    </>
  );
}

/** A menu entry's page: full width in the main area, speaking the Hosted API with no record in context. */
function MenuScreen({ model, id }: { model: HostModel; id: number }) {
  const found = menuEntriesAt(model.menuEntries.value, 'Companies', model.credentials.tenantKey).find(
    (m) => m.entry.id === id,
  );
  if (!found) return <Notice tone="warn" title={`No menu entry ${id} under Companies`} />;
  // The page fills the main area below the bars, as in ConnectWise.
  const spec = {
    ...menuFrame(found.entry, new URL(location.href), found.registered),
    height: Math.max(560, window.innerHeight - 110),
  };
  return (
    <>
      <nav class="cw-crumbs" aria-label="Breadcrumb">
        Companies › <span aria-current="page">{found.entry.caption}</span>
      </nav>
      <section class="cw-menu-screen" aria-label={found.entry.caption}>
        {!found.registered && (
          <p class="cw-hint">Not registered in ConnectWise yet: showing the default menu entry.</p>
        )}
        <HostedFrame spec={spec} model={model} hostedAs="tab" record={false} />
      </section>
    </>
  );
}

function Screen({ model, clock }: { model: HostModel; clock: ClockModel }) {
  const kind = model.kind.value;
  const frames = model.frames.value;
  const pods = frames.filter((f) => f.type === 'Pod');
  const tabs = frames.filter((f) => f.type === 'Tab');
  const activeTab = tabs.find((t) => t.key === model.tab.value);
  const [section, list] = screenTitles[kind];
  const title = kind === 'agreement' ? model.agreement.value?.name : model.company.value?.name;
  const message = model.message.value;
  return (
    <>
      <nav class="cw-crumbs" aria-label="Breadcrumb">
        {section} › {list} › <span aria-current="page">{title ?? '…'}</span>
      </nav>
      <div class="cw-toolbar">
        <button type="button" class="cw-button primary" onClick={() => void model.save()}>
          Save
        </button>
        <button type="button" class="cw-button" onClick={() => void model.back()}>
          Back
        </button>
        <RecordPicker model={model} />
        {model.dirty.value.length > 0 && <span class="cw-dirty">● Unsaved changes (set by a pod)</span>}
      </div>
      {message && (
        <Notice tone={message.tone} title={message.text}>
          {message.details && (
            <ul>
              {message.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      <div class="cw-tabs" role="tablist" aria-label="Screen tabs">
        {[{ key: 'record', description: screenTitles[kind][2] }, ...tabs].map((t) => (
          <button
            type="button"
            role="tab"
            key={t.key}
            id={`tab-${t.key}`}
            aria-controls="cw-tab-panel"
            aria-selected={model.tab.value === t.key || (!activeTab && t.key === 'record')}
            class="cw-tab"
            onClick={() => {
              model.tab.value = t.key;
            }}
          >
            {t.description}
          </button>
        ))}
      </div>
      <div class="cw-screen">
        {activeTab ? (
          <section
            class="cw-tab-panel"
            id="cw-tab-panel"
            role="tabpanel"
            aria-labelledby={`tab-${activeTab.key}`}
          >
            {!activeTab.registered && (
              <p class="cw-hint">Not registered in ConnectWise yet: showing the default tab.</p>
            )}
            <HostedFrame spec={activeTab} model={model} hostedAs="tab" />
          </section>
        ) : (
          <section class="cw-record" id="cw-tab-panel" role="tabpanel" aria-labelledby="tab-record">
            <RecordFields model={model} />
            {kind === 'agreement' && model.agreement.value && (
              <InvoicesTable clock={clock} agreementId={model.agreement.value.id} />
            )}
          </section>
        )}
        <aside class="cw-pods" aria-label="Pods" hidden={Boolean(activeTab)}>
          {pods.length === 0 && <p class="cw-hint">No pods on this screen.</p>}
          {pods.map((p) => (
            <section class="cw-pod" key={p.key} aria-label={`${p.description} pod`}>
              <h2 class="cw-pod-title">
                {p.description}
                {!p.registered && <span class="cw-hint"> (not registered: default)</span>}
              </h2>
              <HostedFrame spec={p} model={model} hostedAs="pod" />
            </section>
          ))}
        </aside>
      </div>
    </>
  );
}

export function HostPage({ model, clock }: { model: HostModel; clock: ClockModel }) {
  const creds = model.credentials;
  const status = model.status.value;
  const loaded = model.agreements.value.length > 0 || model.companies.value.length > 0;
  return (
    <div class="cw">
      <header class="cw-top">
        <span class="cw-logo">ConnectWise Manage</span>
        <span class="cw-top-meta">
          Sandbox · company <strong>{creds.companyId}</strong> · member <strong>{creds.member.id}</strong>
        </span>
      </header>
      <ClockBar clock={clock} onMoved={() => model.refresh()} />
      <div class="cw-body">
        <nav class="cw-nav" aria-label="Main">
          <h2>Companies</h2>
          <ul>
            <NavLink model={model} kind="company" label="Companies" />
            <NavLink model={model} kind="companyfinance" label="Company Finance" />
            <MenuLinks model={model} location="Companies" />
          </ul>
          <h2>Finance</h2>
          <ul>
            <NavLink model={model} kind="agreement" label="Agreements" />
          </ul>
        </nav>
        <main class="cw-content">
          {status === 'failed' && (
            <Notice
              tone="error"
              title="Could not load the screen"
              action={{ label: 'Retry', onClick: () => void model.load() }}
            >
              <p>{model.loadError.value}</p>
            </Notice>
          )}
          {!loaded && status === 'loading' && <Notice tone="progress" title="Loading…" />}
          {loaded && model.menu.value !== undefined && <MenuScreen model={model} id={model.menu.value} />}
          {loaded && model.menu.value === undefined && <Screen model={model} clock={clock} />}
        </main>
      </div>
      <ProtocolLog model={model} />
    </div>
  );
}
