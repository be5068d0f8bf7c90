// The full-width Pax8 page (Companies › Pax8 in ConnectWise): signs in through the same bridge and session
// as the pod, then lists the tenant's bound companies.
import { type ComponentChildren, render } from 'preact';
import '../ui/cw.css';
import './app.css';
import { bootPod } from '../pod/boot.ts';
import { createAppModel } from '../state/app-model.ts';
import type { SessionModel } from '../state/session-model.ts';
import { Notice } from '../ui/notice.tsx';
import { AppPage } from './app-page.tsx';

const root = document.getElementById('root')!;

function Shell({ session, children }: { session: SessionModel; children: ComponentChildren }) {
  const state = session.state.value;
  const retry = { label: 'Retry', onClick: () => void session.retry() };
  let body = children;
  if (state.status === 'connecting') body = <Notice tone="progress" title="Connecting to ConnectWise…" />;
  else if (state.status === 'signing-in') body = <Notice tone="progress" title="Signing in…" />;
  else if (state.status === 'not-in-connectwise') {
    body = (
      <Notice tone="warn" title="Not in ConnectWise" action={retry}>
        <p>Open this page from Companies › Pax8 in ConnectWise Manage.</p>
      </Notice>
    );
  } else if (state.status === 'failed') {
    body = (
      <Notice tone="error" title="Could not sign in" action={retry}>
        <p>{state.message}</p>
      </Notice>
    );
  }
  return (
    <div>
      <header class="app-head">
        <h1>Pax8</h1>
        {state.status === 'signed-in' && (
          <p>
            Signed in as {state.session.member.name} · {state.session.tenant.name}
          </p>
        )}
      </header>
      <main class="app" aria-live="polite">
        {body}
      </main>
    </div>
  );
}

function start(): void {
  render(<Notice tone="progress" title="Connecting to ConnectWise…" />, root);
  bootPod()
    .then(({ model: session, api, bridge }) => {
      const app = createAppModel({ api });
      const deps = { api, bridge };
      render(
        <Shell session={session}>
          <AppPage model={app} deps={deps} />
        </Shell>,
        root,
      );
      void session.start().then(() => {
        if (session.state.peek().status === 'signed-in') void app.load();
      });
    })
    .catch((err: unknown) => {
      render(
        <Notice tone="error" title="The page could not start" action={{ label: 'Retry', onClick: start }}>
          <p>{err instanceof Error ? err.message : 'Unexpected error'}</p>
        </Notice>,
        root,
      );
    });
}

start();
