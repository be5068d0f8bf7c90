// The pod's session: bridge handshake → member authentication from ConnectWise → POST /api/session.
// Components read the signals and call start/retry; the API client calls renew after a 401.
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { HostBridge } from '../host/bridge.ts';
import { type ContextResult, resolveContext } from '../host/context.ts';
import { isBridgeError } from '../host/errors.ts';
import type { ScreenObject } from '../host/protocol.ts';
import { type Api, ApiError } from './api.ts';
import { type FirstView, type Session, SessionSchema } from './schemas.ts';

export type SessionState =
  | { status: 'connecting' }
  | { status: 'not-in-connectwise'; reason: 'not-framed' | 'timeout' }
  | { status: 'signing-in' }
  | { status: 'signed-in'; session: Session }
  | { status: 'failed'; code: string; message: string };

export type SessionModel = {
  state: ReadonlySignal<SessionState>;
  /** The record in context: the URL tokens at first, then each onLoad's screenObject. */
  context: ReadonlySignal<ContextResult>;
  session: ReadonlySignal<Session | undefined>;
  /** Bumped on every onLoad (e.g. after refreshScreen), so views can reload. */
  loads: ReadonlySignal<number>;
  token(): string | undefined;
  /**
   * The view of this record that came with the session (once: a later load asks GET /api/views), or
   * undefined. Only with `firstView` set.
   */
  takeView(kind: 'agreement' | 'company', id: number): unknown;
  start(): Promise<void>;
  retry(): Promise<void>;
  renew(): Promise<string | undefined>;
  dispose(): void;
};

export type SessionModelDeps = {
  bridge: HostBridge;
  api: Api;
  /** The pod's own URL (location.href), for the [cw_screen]/[cw_id] tokens and the tenant key `t`. */
  url?: string;
  /**
   * Ask POST /api/session for the view of the record in the URL's context too, so the pod shows its rows
   * without a second round trip (issue 13).
   */
  firstView?: boolean;
};

/** The tenant key the registered pod URL carries (`?t=`), if any. */
export function tenantKeyOf(url: string): string | undefined {
  return new URL(url, 'http://pod.invalid/').searchParams.get('t') ?? undefined;
}

function failure(err: unknown): { code: string; message: string } {
  if (isBridgeError(err) || err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'unexpected', message: 'Something went wrong while signing in' };
}

export function createSessionModel({
  bridge,
  api,
  url = 'http://pod.invalid/pod',
  firstView = false,
}: SessionModelDeps): SessionModel {
  const state = signal<SessionState>({ status: 'connecting' });
  const screenObject = signal<ScreenObject | undefined>(undefined);
  const loads = signal(0);
  const context = computed(() => resolveContext(url, screenObject.value));
  const session = computed(() => {
    const s = state.value;
    return s.status === 'signed-in' ? s.session : undefined;
  });
  let renewing: Promise<string | undefined> | undefined;
  let arrived: FirstView | undefined;

  const stopOnLoad = bridge.on('onLoad', (event) => {
    if (event.screenObject) screenObject.value = event.screenObject;
    loads.value++;
    return undefined;
  });

  /** The record the first view is asked for: the context's, as a view kind (company finance shows the company). */
  const wantedView = () => {
    const c = context.peek();
    if (!c.ok) return undefined;
    return { kind: c.context.kind === 'agreement' ? 'agreement' : 'company', id: c.context.id } as const;
  };

  const signIn = async (withView = false): Promise<Session> => {
    const auth = await bridge.getMemberAuthentication();
    // The key names the tenant; ConnectWise's site and company id are checked against it on the server.
    const view = withView ? wantedView() : undefined;
    const body = { ...auth, tenantKey: tenantKeyOf(url) ?? '', ...(view ? { view } : {}) };
    const { view: came, ...signed } = await api.request('POST', '/api/session', {
      body,
      auth: false,
      schema: SessionSchema,
    });
    if (came) arrived = came;
    return signed;
  };

  const start = async () => {
    if (state.peek().status !== 'connecting') state.value = { status: 'connecting' };
    try {
      await bridge.connect();
    } catch (err) {
      if (isBridgeError(err) && (err.code === 'not-framed' || err.code === 'timeout')) {
        state.value = { status: 'not-in-connectwise', reason: err.code };
      } else {
        state.value = { status: 'failed', ...failure(err) };
      }
      return;
    }
    // The sign-in asks the host first, then the state changes (its render must not delay the request).
    const signing = signIn(firstView);
    state.value = { status: 'signing-in' };
    try {
      state.value = { status: 'signed-in', session: await signing };
    } catch (err) {
      state.value = { status: 'failed', ...failure(err) };
    }
  };

  const renew = () => {
    renewing ??= signIn()
      .then((fresh) => {
        state.value = { status: 'signed-in', session: fresh };
        return fresh.token as string | undefined;
      })
      .catch((err: unknown) => {
        state.value = { status: 'failed', ...failure(err) };
        return undefined;
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };

  return {
    state,
    context,
    session,
    loads,
    token: () => session.peek()?.token,
    takeView(kind, id) {
      const view = arrived;
      arrived = undefined;
      return view && view.kind === kind && view.id === id ? view.data : undefined;
    },
    start,
    retry: start,
    renew,
    dispose() {
      stopOnLoad();
      bridge.destroy();
    },
  };
}
