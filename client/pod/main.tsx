// The pod page: boots the bridge and session and starts the handshake and sign-in at once, while the record
// view (its own chunk, preloaded by the page) loads; then renders the shell with the record view in its slot.
import { render } from 'preact';
import '../ui/cw.css';
import './pod.css';
import './views/pod-views.css';
import { Notice } from '../ui/notice.tsx';
import { PodApp } from './app.tsx';
import { bootPod, type PodBoot } from './boot.ts';

const root = document.getElementById('root')!;

function start(): void {
  render(<Notice tone="progress" title="Connecting to ConnectWise…" />, root);
  // The handshake and POST /api/session need none of the view's code: they run while it loads and evaluates.
  let started: PodBoot | undefined;
  const booted = bootPod().then((boot) => {
    started = boot;
    void boot.model.start();
    return boot;
  });
  Promise.all([booted, import('./views/record-view.tsx')])
    .then(([{ model, api, bridge }, { createRecordView }]) => {
      render(
        <PodApp model={model} view={createRecordView({ api, bridge, openScreen: bridge.openScreen })} />,
        root,
      );
    })
    .catch((err: unknown) => {
      // The view's chunk did not load: a retry boots afresh, so this bridge stops listening to the host.
      started?.model.dispose();
      started?.bridge.destroy();
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
