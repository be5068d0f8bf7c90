// The app page behind the "Pax8" menu entry under Companies: boots the bridge and session, then the app shell.
import { render } from 'preact';
import '../ui/cw.css';
import { Notice } from '../ui/notice.tsx';
import { bootApp } from './boot.ts';

const root = document.getElementById('root')!;

function start(): void {
  render(<Notice tone="progress" title="Connecting to ConnectWise…" />, root);
  bootApp()
    .then(({ model }) => {
      render(<Notice tone="progress" title="Signing in…" />, root);
      void model.start();
    })
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : 'The app could not start';
      render(
        <Notice tone="error" title="The app could not start" action={{ label: 'Retry', onClick: start }}>
          <p>{message}</p>
        </Notice>,
        root,
      );
    });
}

start();
