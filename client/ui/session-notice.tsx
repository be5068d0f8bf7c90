// What the app and the pod show until the session is signed in: connecting, signing in, not inside
// ConnectWise (with Retry after a timeout) or a failed sign-in. Only the "not in ConnectWise" advice differs.
import type { SessionModel, SessionState } from '../state/session-model.ts';
import { Notice } from './notice.tsx';

export type SessionAdvice = {
  /** ConnectWise did not answer the handshake. */
  timeout: string;
  /** The page is not framed by ConnectWise at all. */
  notFramed: string;
};

export function SessionNotice({
  model,
  state,
  advice,
}: {
  model: SessionModel;
  state: Exclude<SessionState, { status: 'signed-in' }>;
  advice: SessionAdvice;
}) {
  const retry = { label: 'Retry', onClick: () => void model.retry() };
  switch (state.status) {
    case 'connecting':
      return <Notice tone="progress" title="Connecting to ConnectWise…" />;
    case 'signing-in':
      return <Notice tone="progress" title="Signing in…" />;
    case 'not-in-connectwise':
      return (
        <Notice
          tone="warn"
          title="Not in ConnectWise"
          {...(state.reason === 'timeout' ? { action: retry } : {})}
        >
          <p>{state.reason === 'timeout' ? advice.timeout : advice.notFramed}</p>
        </Notice>
      );
    case 'failed':
      return (
        <Notice tone="error" title="Could not sign in" action={retry}>
          <p>{state.message}</p>
        </Notice>
      );
  }
}
