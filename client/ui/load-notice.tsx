// What a section shows until its data is ready: a progress notice, or the failure with a Retry.
import type { ComponentChildren } from 'preact';
import { Notice } from './notice.tsx';

/** The not-ready half of a model's load state. */
export type Unready = { status: 'loading' } | { status: 'error'; message: string };

export function LoadNotice({
  state,
  loading,
  failed,
  retry,
  children,
}: {
  state: Unready;
  /** The progress title, e.g. 'Loading companies…'. */
  loading: string;
  /** The error title, e.g. 'Could not load the companies'. */
  failed: string;
  retry: () => unknown;
  /** Said after the error's message. */
  children?: ComponentChildren;
}) {
  if (state.status === 'loading') return <Notice tone="progress" title={loading} />;
  return (
    <Notice tone="error" title={failed} action={{ label: 'Retry', onClick: () => void retry() }}>
      <p>{state.message}</p>
      {children}
    </Notice>
  );
}
