// The app page behind the "Pax8" menu entry under Companies: boots the same bridge and session as the
// pod, then the app shell once signed in (sections load on first view).
import { render } from 'preact';
import '../ui/cw.css';
import './app.css';
import './app-shell.css';
import { sectionOf } from '../state/app-nav-model.ts';
import { createAppRoot } from '../state/app-root-model.ts';
import { Notice } from '../ui/notice.tsx';
import { AppShell } from './app-shell.tsx';
import { bootApp } from './boot.ts';

const root = document.getElementById('root')!;

function start(): void {
  render(<Notice tone="progress" title="Connecting to ConnectWise…" />, root);
  bootApp()
    .then(({ model: session, api, bridge }) => {
      const params = new URL(location.href).searchParams;
      // The company screen's "Pax8 Board" tab opens the board on its company (section=board&company=<cw id>).
      const company = Number(params.get('company'));
      const initial = {
        section: sectionOf(params.get('section')),
        ...(Number.isSafeInteger(company) && company > 0 ? { company } : {}),
      };
      const app = createAppRoot({ api, bridge, initial });
      // The wizard's refreshScreen is for pods; in the app the view reloads itself after a sync.
      const deps = { api, openScreen: bridge.openScreen };
      render(<AppShell session={session} root={app} deps={deps} />, root);
      app.startWhenSignedIn(session.state);
      void session.start();
    })
    .catch((err: unknown) => {
      render(
        <Notice tone="error" title="The app could not start" action={{ label: 'Retry', onClick: start }}>
          <p>{err instanceof Error ? err.message : 'Unexpected error'}</p>
        </Notice>,
        root,
      );
    });
}

start();
