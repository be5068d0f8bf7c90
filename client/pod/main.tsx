// The pod page: boots the bridge and session, then renders the shell with the record view in its slot.
import { render } from 'preact';
import '../ui/cw.css';
import './pod.css';
import { Notice } from '../ui/notice.tsx';
import { PodApp } from './app.tsx';
import { bootPod } from './boot.ts';
import { createRecordView } from './views/record-view.tsx';

const root = document.getElementById('root')!;

function start(): void {
  render(<Notice tone="progress" title="Connecting to ConnectWise…" />, root);
  bootPod()
    .then(({ model, api, bridge }) => {
      const view = createRecordView({ api, bridge, openScreen: bridge.openScreen });
      // The handshake leaves before the first render, which then runs while the host answers.
      void model.start();
      render(<PodApp model={model} view={view} />, root);
    })
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : 'The pod could not start';
      render(
        <Notice tone="error" title="The pod could not start" action={{ label: 'Retry', onClick: start }}>
          <p>{message}</p>
        </Notice>,
        root,
      );
    });
}

start();
