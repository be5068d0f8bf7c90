// The pod's record view (the shell's `view` slot): the agreement or company in context, its Pax8 binding,
// one line per subscription, the additions billed without one, and the sync wizard in place of the list while it is open.
import { type ReadonlySignal, signal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { HostBridge } from '../../host/bridge.ts';
import { type AgreementModel, createAgreementModel } from '../../state/agreement-model.ts';
import type { Api } from '../../state/api.ts';
import { type CreateCompanyModel, createCreateCompanyModel } from '../../state/create-company-model.ts';
import { createSeatChangeModel, type SeatChangeModel } from '../../state/seat-change-model.ts';
import { createUpkeepModel, type UpkeepModel } from '../../state/upkeep-model.ts';
import { createWizardModel, type WizardModel } from '../../state/wizard-model.ts';
import { LoadNotice } from '../../ui/load-notice.tsx';
import { Notice } from '../../ui/notice.tsx';
import type { PodView, PodViewProps } from '../app.tsx';
import { BindingPanel } from './binding-panel.tsx';
import { SeatForm } from './seat-form.tsx';
import { GhostRows, SubscriptionRows } from './subscription-rows.tsx';
import { UpkeepPanel } from './upkeep-panel.tsx';
import { Wizard } from './wizard.tsx';
import './pod-views.css';

export type RecordViewDeps = {
  api: Api;
  bridge?: Pick<HostBridge, 'refreshScreen'>;
  /** Idempotency keys of seat changes (tests pass a counter); default crypto.randomUUID. */
  newKey?: () => string;
  /** Opens a ConnectWise screen (the history's links to additions open their agreement). */
  openScreen?: HostBridge['openScreen'];
};

/** Builds the view for the shell's slot from the API client and the bridge. */
export function createRecordView(deps: RecordViewDeps): PodView {
  return (props) => <RecordScreen {...props} deps={deps} />;
}

export type RecordModels = {
  record: AgreementModel;
  wizard: WizardModel;
  seats: SeatChangeModel;
  /** The wizard opening a seat change made: its "Subscription updated" notice shows there only. */
  seatNoticeFor: ReadonlySignal<object | null | undefined>;
  create: CreateCompanyModel;
  upkeep: UpkeepModel;
};

export function createRecordModels(
  deps: RecordViewDeps,
  kind: 'agreement' | 'company',
  id: number,
  /** The record's view as it came with the session, if it did (shown without asking again). */
  initial?: unknown,
) {
  const record = createAgreementModel({
    api: deps.api,
    record: { kind, id },
    ...(initial !== undefined ? { initial } : {}),
  });
  const wizard = createWizardModel({
    api: deps.api,
    ...(deps.bridge ? { refreshScreen: () => deps.bridge!.refreshScreen() } : {}),
    onChanged: () => record.load(),
    ...(deps.openScreen
      ? {
          openAgreement: (id: number) =>
            void deps.openScreen!({ screen: 'agreement', id, newTab: true }).catch(() => undefined),
        }
      : {}),
  });
  // After a seat change the view reloads and the sync wizard opens for the row's agreement (guide: "you are
  // immediately prompted to update your Agreement").
  const seatNoticeFor = signal<object | null | undefined>(null);
  const seats = createSeatChangeModel({
    api: deps.api,
    ...(deps.newKey ? { newKey: deps.newKey } : {}),
    onChanged: async (result) => {
      await record.load();
      const state = record.state.peek();
      if (state.status !== 'ready') return;
      const row = state.view.rows.find((r) => r.subscription.id === result.subscriptionId);
      if (!row) return;
      const started = wizard.start({
        row,
        agreements: state.view.agreements,
        companyName: state.view.company.name,
      });
      // "Subscription updated" belongs to this opening of the wizard, not to a later one.
      seatNoticeFor.value = wizard.open.peek();
      await started;
    },
  });
  const create = createCreateCompanyModel({ api: deps.api, onBound: () => record.load() });
  const upkeep = createUpkeepModel({ api: deps.api, onChanged: () => record.load() });
  return { record, wizard, seats, seatNoticeFor, create, upkeep };
}

function RecordScreen({ model, context, deps }: PodViewProps & { deps: RecordViewDeps }) {
  const kind = context.kind === 'agreement' ? 'agreement' : 'company';
  const models = useMemo(
    () => createRecordModels(deps, kind, context.id, model.takeView?.(kind, context.id)),
    [deps, kind, context.id, model],
  );
  // Reading loads subscribes: ConnectWise reloading its screen (onLoad) reloads the view.
  const loads = model.loads.value;
  useEffect(() => {
    void models.record.load();
  }, [models, loads]);
  return <RecordBody models={models} wide={context.hostedAs === 'tab'} />;
}

export function RecordBody({ models, wide }: { models: RecordModels; wide: boolean }) {
  const { record, wizard, seats } = models;
  const state = record.state.value;
  const seatForm = seats.open.value;
  const opened = wizard.open.value?.row.subscription.id ?? seatForm?.target.id;
  // The button that opened it: a seat form's own (Modify or Cancel), else the row's first (Sync, Review, …).
  const opener = seatForm
    ? `${seatForm.mode === 'cancel' ? 'Cancel subscription' : 'Modify quantity'}:`
    : undefined;
  const list = useRef<HTMLDivElement>(null);
  const lastOpened = useRef<{ id: string; opener: string | undefined } | undefined>(undefined);
  // Closing the wizard (or the seat form) puts keyboard focus back on the button it was opened from, not on the
  // page's body.
  useEffect(() => {
    if (opened !== undefined) {
      lastOpened.current = { id: opened, opener };
      return;
    }
    const last = lastOpened.current;
    lastOpened.current = undefined;
    if (last === undefined) return;
    const row = [...(list.current?.querySelectorAll<HTMLElement>('[data-subscription]') ?? [])].find(
      (li) => li.dataset.subscription === last.id,
    );
    const own = last.opener
      ? [...(row?.querySelectorAll<HTMLElement>('button') ?? [])].find((b) =>
          b.getAttribute('aria-label')?.startsWith(last.opener ?? ''),
        )
      : undefined;
    (own ?? row?.querySelector<HTMLElement>('button'))?.focus();
  }, [opened, opener]);
  const cls = `pv${wide ? ' pv-wide' : ''}`;
  if (state.status !== 'ready') {
    return (
      <div class={cls}>
        <LoadNotice
          state={state}
          loading="Loading Pax8 subscriptions…"
          failed="Could not load the view"
          retry={() => record.load()}
        />
      </div>
    );
  }
  const view = state.view;
  const agreement = view.kind === 'agreement' ? view.agreements[0] : undefined;
  const out = record.outOfStep.value;
  return (
    <div class={cls} ref={list}>
      <section class="pv-summary" aria-labelledby="pv-title">
        <h2 id="pv-title">{agreement ? agreement.name : view.company.name}</h2>
        <dl class="cw-fields">
          {agreement && (
            <>
              <dt>Company</dt>
              <dd>{view.company.name}</dd>
            </>
          )}
          {/* Unbound, the binding panel below says so (the server's words): once, not here as well. */}
          {view.binding && (
            <>
              <dt>Pax8</dt>
              <dd>{view.binding.name}</dd>
            </>
          )}
          {view.kind === 'company' && (
            <>
              <dt>Agreements</dt>
              <dd>
                {view.agreements.length
                  ? view.agreements.map((a) => a.name).join(', ')
                  : 'No active agreements'}
              </dd>
            </>
          )}
        </dl>
        {view.binding && (
          <p class={`pv-count${out ? ' warn' : ' ok'}`}>
            {out === 0 ? 'All subscriptions in step' : `${out} out of step`}
            {` · ${view.rows.length} subscription${view.rows.length === 1 ? '' : 's'}`}
            {view.ghosts.length > 0 && ` · ${view.ghosts.length} billed without one`}
          </p>
        )}
        <p class="sr-only" aria-live="polite">
          {record.announcement.value}
        </p>
      </section>
      {view.warnings
        // The binding panel says this one.
        .filter((w) => w.code !== 'company_not_bound')
        .map((w) => (
          <Notice key={w.code} tone="warn">
            <p>{w.message}</p>
          </Notice>
        ))}
      {!view.binding && (
        <BindingPanel
          model={record}
          company={view.company}
          create={models.create}
          notBound={view.warnings.find((w) => w.code === 'company_not_bound')?.message}
        />
      )}
      {view.binding && wizard.open.value && <SeatDone models={models} />}
      {view.binding && wizard.open.value && <Wizard model={wizard} wide={wide} />}
      {view.binding && !wizard.open.value && seats.open.value && <SeatForm model={seats} />}
      {view.binding && !wizard.open.value && !seats.open.value && (
        <>
          <SubscriptionRows
            view={view}
            onSync={(row) =>
              void wizard.start({ row, agreements: view.agreements, companyName: view.company.name })
            }
            onSeats={(row, mode) => seats.start(row.subscription, mode)}
          />
          <GhostRows view={view} />
          <UpkeepPanel view={view} model={models.upkeep} />
        </>
      )}
    </div>
  );
}

/** Above the wizard opened by a seat change: what Pax8 now has, and that the agreement is next. */
function SeatDone({ models }: { models: RecordModels }) {
  const state = models.seats.state.value;
  const open = models.wizard.open.value;
  if (state.status !== 'done' || !open || open !== models.seatNoticeFor.value) return null;
  const r = state.result;
  const what =
    r.action === 'cancel'
      ? `${r.subscription.productName} is cancelled in Pax8.`
      : `${r.subscription.productName}: ${r.fromQuantity} → ${r.toQuantity} seats in Pax8${r.waiveProrate ? ' (prorate waived)' : ''}.`;
  return (
    <Notice tone="ok" title="Subscription updated">
      <p>{what} Now update the agreement: review the sync below and confirm.</p>
    </Notice>
  );
}
