// The sandbox host page at /sandbox/host: plays the ConnectWise window around the pod.
import { render } from 'preact';
import '../ui/cw.css';
import './host.css';
import { Notice } from '../ui/notice.tsx';
import { createClockModel } from './clock-model.ts';
import { createCwRest, loadCredentials } from './cw-rest.ts';
import { createHostModel } from './host-model.ts';
import { HostPage } from './host-page.tsx';

const root = document.getElementById('root')!;

loadCredentials(fetch, document.getElementById('sandbox-credentials')?.textContent)
  .then((credentials) => {
    const model = createHostModel(createCwRest(credentials), new URL(location.href));
    const clock = createClockModel();
    render(<HostPage model={model} clock={clock} />, root);
    void model.load();
    void clock.load().catch((err: unknown) => {
      clock.status.value = { tone: 'error', text: err instanceof Error ? err.message : String(err) };
    });
  })
  .catch((err: unknown) => {
    render(
      <Notice tone="error" title="The sandbox is not available">
        <p>{err instanceof Error ? err.message : String(err)}</p>
      </Notice>,
      root,
    );
  });
