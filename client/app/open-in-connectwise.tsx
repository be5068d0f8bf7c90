// The app's 'Open in ConnectWise' link: ConnectWise opens the company's screen (through the host bridge).
import type { AppRoot } from '../state/app-root-model.ts';

/** The company's screen in ConnectWise, through the host bridge. */
export function OpenInConnectWise({ root, id, name }: { root: AppRoot; id: number; name: string }) {
  return (
    <button
      type="button"
      class="app-link"
      aria-label={`Open ${name} in ConnectWise`}
      onClick={() => root.openCompany(id)}
    >
      Open in ConnectWise
    </button>
  );
}
