// The sandbox host page at /sandbox/host: plays the ConnectWise window around the pod.
import { render } from 'preact';
import '../ui/cw.css';
import './host.css';
import { Notice } from '../ui/notice.tsx';
import { createClockModel } from './clock-model.ts';
import { createCwRest, inlineFirstScreen, loadCredentials } from './cw-rest.ts';
import { createHostModel } from './host-model.ts';
import { HostPage } from './host-page.tsx';

const root = document.getElementById('root')!;

loadCredentials(fetch, document.getElementById('sandbox-credentials')?.textContent)
  .then((credentials) => {
    // The screen's first reads came with the page (server/sandbox/index.ts), so the pods are framed at once.
    const first = inlineFirstScreen(document.getElementById('sandbox-first-screen')?.textContent);
    const model = createHostModel(createCwRest(credentials, fetch, first.reads), new URL(location.href));
    const clock = createClockModel(undefined, first.today);
    void model.load();
    render(<HostPage model={model} clock={clock} />, root);
    if (first.today === undefined) {
      void clock.load().catch((err: unknown) => {
        clock.status.value = { tone: 'error', text: err instanceof Error ? err.message : String(err) };
      });
    }
  })
  .catch((err: unknown) => {
    render(
      <Notice tone="error" title="The sandbox is not available">
        <p>{err instanceof Error ? err.message : String(err)}</p>
      </Notice>,
      root,
    );
  });
