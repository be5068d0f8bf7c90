// The pod shell: who is signed in, which record is in context, and a clear state until the view can
// show. The record view itself is a slot (`view`), filled by the agreement/company views.
import type { ComponentChildren } from 'preact';
import { describeContext, type PodContext } from '../host/context.ts';
import type { Session } from '../state/schemas.ts';
import type { SessionModel } from '../state/session-model.ts';
import { Notice } from '../ui/notice.tsx';
import { type SessionAdvice, SessionNotice } from '../ui/session-notice.tsx';

export type PodViewProps = { model: SessionModel; session: Session; context: PodContext };
export type PodView = (props: PodViewProps) => ComponentChildren;

const advice: SessionAdvice = {
  timeout: 'ConnectWise did not answer. Reload the screen, or retry.',
  notFramed: 'Open this pod from an Agreement or Company screen in ConnectWise Manage.',
};

const unsupported = 'This pod works on the Agreement, Company and Company Finance screens.';

function Body({ model, view }: { model: SessionModel; view: PodView }) {
  const state = model.state.value;
  if (state.status !== 'signed-in') return <SessionNotice model={model} state={state} advice={advice} />;
  const context = model.context.value;
  if (!context.ok) {
    return (
      <Notice tone="info" title="No record in context">
        <p>
          {context.reason === 'unsupported-screen'
            ? unsupported
            : 'Open a record to see its Pax8 subscriptions.'}
        </p>
      </Notice>
    );
  }
  return <>{view({ model, session: state.session, context: context.context })}</>;
}

export function PodApp({ model, view }: { model: SessionModel; view: PodView }) {
  const context = model.context.value;
  const session = model.session.value;
  return (
    <div class="pod">
      <header class="pod-head">
        <h1>
          <span class="pod-brand">Pax8</span>
          {context.ok && <span class="pod-record"> · {describeContext(context.context)}</span>}
        </h1>
        {session && (
          <p class="pod-member">
            Signed in as <strong>{session.member.name}</strong>
            <span class="pod-tenant"> · {session.tenant.name}</span>
          </p>
        )}
      </header>
      <main class="pod-body">
        <Body model={model} view={view} />
      </main>
    </div>
  );
}

/** Until the record views land: what the pod knows about the record in context. */
export function ContextSummary({ context, session }: PodViewProps) {
  return (
    <section aria-label="Record in context">
      <dl class="cw-fields">
        <dt>Record</dt>
        <dd>{describeContext(context)}</dd>
        <dt>Shown as</dt>
        <dd>{context.hostedAs === 'tab' ? 'Tab' : 'Pod'}</dd>
        <dt>Member</dt>
        <dd>
          {session.member.name}
          {session.member.email ? ` (${session.member.email})` : ''}
        </dd>
      </dl>
    </section>
  );
}
