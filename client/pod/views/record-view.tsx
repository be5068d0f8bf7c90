// The pod's record view (the shell's `view` slot): the agreement or company in context, its Pax8 binding,
// one line per subscription, the additions billed without one, and the sync wizard in place of the list while it is open.
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { HostBridge } from '../../host/bridge.ts';
import { type AgreementModel, createAgreementModel } from '../../state/agreement-model.ts';
import type { Api } from '../../state/api.ts';
import { createWizardModel, type WizardModel } from '../../state/wizard-model.ts';
import { LoadNotice } from '../../ui/load-notice.tsx';
import { Notice } from '../../ui/notice.tsx';
import type { PodView, PodViewProps } from '../app.tsx';
import { BindingPanel } from './binding-panel.tsx';
import { GhostRows, SubscriptionRows } from './subscription-rows.tsx';
import { Wizard } from './wizard.tsx';
import './pod-views.css';

export type RecordViewDeps = {
  api: Api;
  bridge?: Pick<HostBridge, 'refreshScreen'>;
  /** Opens a ConnectWise screen (the history's links to additions open their agreement). */
  openScreen?: HostBridge['openScreen'];
};

/** Builds the view for the shell's slot from the API client and the bridge. */
export function createRecordView(deps: RecordViewDeps): PodView {
  return (props) => <RecordScreen {...props} deps={deps} />;
}

export type RecordModels = { record: AgreementModel; wizard: WizardModel };

export function createRecordModels(deps: RecordViewDeps, kind: 'agreement' | 'company', id: number) {
  const record = createAgreementModel({ api: deps.api, record: { kind, id } });
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
  return { record, wizard };
}

function RecordScreen({ model, context, deps }: PodViewProps & { deps: RecordViewDeps }) {
  const kind = context.kind === 'agreement' ? 'agreement' : 'company';
  const models = useMemo(() => createRecordModels(deps, kind, context.id), [deps, kind, context.id]);
  // Reading loads subscribes: ConnectWise reloading its screen (onLoad) reloads the view.
  const loads = model.loads.value;
  useEffect(() => {
    void models.record.load();
  }, [models, loads]);
  return <RecordBody models={models} wide={context.hostedAs === 'tab'} />;
}

export function RecordBody({ models, wide }: { models: RecordModels; wide: boolean }) {
  const { record, wizard } = models;
  const state = record.state.value;
  const opened = wizard.open.value?.row.subscription.id;
  const list = useRef<HTMLDivElement>(null);
  const lastOpened = useRef<string | undefined>(undefined);
  // Closing the wizard puts keyboard focus back on the row it was opened from, not on the page's body.
  useEffect(() => {
    if (opened !== undefined) {
      lastOpened.current = opened;
      return;
    }
    const id = lastOpened.current;
    lastOpened.current = undefined;
    if (id === undefined) return;
    const row = [...(list.current?.querySelectorAll<HTMLElement>('[data-subscription]') ?? [])].find(
      (li) => li.dataset.subscription === id,
    );
    row?.querySelector<HTMLElement>('button')?.focus();
  }, [opened]);
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
          <dt>Pax8</dt>
          <dd>{view.binding ? view.binding.name : <em>Not bound</em>}</dd>
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
        .filter((w) => w.code !== 'company_not_bound')
        .map((w) => (
          <Notice key={w.code} tone="warn">
            <p>{w.message}</p>
          </Notice>
        ))}
      {!view.binding && <BindingPanel model={record} companyName={view.company.name} />}
      {view.binding && wizard.open.value && <Wizard model={wizard} wide={wide} />}
      {view.binding && !wizard.open.value && (
        <>
          <SubscriptionRows
            view={view}
            onSync={(row) =>
              void wizard.start({ row, agreements: view.agreements, companyName: view.company.name })
            }
          />
          <GhostRows view={view} />
        </>
      )}
    </div>
  );
}
