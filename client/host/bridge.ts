// The pod's side of the ConnectWise Hosted API (§1.5–§1.6): handshake, frame id echo, event acks and
// requests matched to responses by lower-cased name. The wire format lives in protocol.ts, origin
// checks in transport.ts.
import * as v from 'valibot';
import { BridgeError } from './errors.ts';
import {
  type EventMessage,
  encode,
  type HostedRequestName,
  type MemberAuthentication,
  MemberAuthenticationSchema,
  parseHostMessage,
  type ScreenObject,
} from './protocol.ts';
import { createTransport, type MessageSourceLike, type MessageTargetLike } from './transport.ts';

export type BridgeStatus = 'idle' | 'connecting' | 'connected' | 'not-framed' | 'timeout' | 'closed';
export type HostEvent = { name: string; id: string | number; screenObject?: ScreenObject };
/** What an event handler decides; returning nothing (or throwing nothing) means success. */
export type EventOutcome = { ok: true } | { ok: false; errors: string[] };
export type EventHandler = (event: HostEvent) => undefined | EventOutcome | Promise<undefined | EventOutcome>;

export type HostBridgeOptions = {
  target: MessageTargetLike;
  self: MessageSourceLike;
  allowedOrigins: readonly string[];
  timeoutMs?: number;
  referrer?: string | undefined;
  /** Sees every message in and out, for a debug log. */
  onTrace?: (direction: 'in' | 'out', data: unknown) => void;
};

export type HostBridge = {
  /** Sends `ready` and resolves when ConnectWise assigns the frame id. Call again to retry after a timeout. */
  connect(): Promise<void>;
  status(): BridgeStatus;
  frameId(): string | number | undefined;
  /** Handles `onLoad`, `beforeSave`, `beforeBack` (or any event); unhandled events are acked `success`. */
  on(event: string, handler: EventHandler): () => void;
  /** Sends a request and waits for `{response: name.toLowerCase(), data}`. */
  request(name: string, args?: Record<string, unknown>, options?: { timeoutMs?: number }): Promise<unknown>;
  getMemberAuthentication(): Promise<MemberAuthentication>;
  // ConnectWise documents no reply to these three, so they resolve once posted.
  refreshScreen(): Promise<void>;
  setDirty(dirty: boolean): Promise<void>;
  openScreen(target: { screen: string; id: number; newTab?: boolean }): Promise<void>;
  destroy(): void;
};

type Pending = {
  resolve: (data: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

export function createHostBridge(opts: HostBridgeOptions): HostBridge {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const framed = (opts.target as unknown) !== (opts.self as unknown);
  const transport = createTransport(opts);
  const handlers = new Map<string, Set<EventHandler>>();
  const pending = new Map<string, Pending[]>();
  let status: BridgeStatus = framed ? 'idle' : 'not-framed';
  let frameId: string | number | undefined;
  let connecting: Promise<void> | undefined;
  let onFrameId: (() => void) | undefined;

  const post = (message: Record<string, unknown>) => {
    const body = frameId === undefined ? message : { ...message, frameID: frameId };
    const data = encode(body);
    if (transport.send(data)) opts.onTrace?.('out', data);
  };

  const ack = async (message: EventMessage) => {
    const event: HostEvent = { name: message.event, id: message._id };
    const screenObject = message.data?.screenObject;
    if (screenObject) event.screenObject = screenObject;
    const errors: string[] = [];
    for (const handler of handlers.get(message.event) ?? []) {
      try {
        const outcome = await handler(event);
        if (outcome && !outcome.ok) errors.push(...outcome.errors);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    const result = errors.length ? { result: 'failure', errors } : { result: 'success' };
    post({ event: message.event, _id: message._id, ...result });
  };

  transport.listen((data) => {
    const message = parseHostMessage(data);
    if (!message) return; // malformed or foreign: ignored, never thrown into ConnectWise's page
    opts.onTrace?.('in', data);
    if (message.kind === 'frame-id') {
      frameId = message.message.MessageFrameID;
      status = 'connected';
      onFrameId?.();
    } else if (message.kind === 'response') {
      const queue = pending.get(message.message.response.toLowerCase());
      const first = queue?.shift();
      if (first) {
        clearTimeout(first.timer);
        first.resolve(message.message.data);
      }
    } else {
      void ack(message.message);
    }
  });

  const connect = (): Promise<void> => {
    if (status === 'not-framed') {
      return Promise.reject(new BridgeError('not-framed', 'The pod is not running inside ConnectWise'));
    }
    if (status === 'closed') return Promise.reject(new BridgeError('closed', 'The bridge was closed'));
    if (status === 'connected') return Promise.resolve();
    if (connecting) return connecting;
    status = 'connecting';
    connecting = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        onFrameId = undefined;
        connecting = undefined;
        status = 'timeout';
        reject(new BridgeError('timeout', 'ConnectWise did not answer the handshake'));
      }, timeoutMs);
      onFrameId = () => {
        clearTimeout(timer);
        onFrameId = undefined;
        connecting = undefined;
        resolve();
      };
    });
    const ready = encode({ message: 'ready' });
    transport.announce(ready);
    opts.onTrace?.('out', ready);
    return connecting;
  };

  // Once connected, a request is posted at once, not a microtask later: the pod's first render (queued as the
  // handshake settles) would otherwise run before the sign-in's getMemberAuthentication leaves.
  const request = (name: string, args?: Record<string, unknown>, options?: { timeoutMs?: number }) =>
    status === 'connected' ? send(name, args, options) : connect().then(() => send(name, args, options));

  const send = (name: string, args?: Record<string, unknown>, options?: { timeoutMs?: number }) => {
    const key = name.toLowerCase();
    return new Promise<unknown>((resolve, reject) => {
      const queue = pending.get(key) ?? [];
      pending.set(key, queue);
      const entry: Pending = {
        resolve,
        reject,
        timer: setTimeout(() => {
          queue.splice(queue.indexOf(entry), 1);
          reject(new BridgeError('timeout', `ConnectWise did not answer ${name}`));
        }, options?.timeoutMs ?? timeoutMs),
      };
      queue.push(entry);
      post(args === undefined ? { hosted_request: name } : { hosted_request: name, args });
    });
  };

  const fireAndForget = async (name: HostedRequestName, args: Record<string, unknown>) => {
    await connect();
    post({ hosted_request: name, args });
  };

  return {
    connect,
    status: () => status,
    frameId: () => frameId,
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler);
      return () => set.delete(handler);
    },
    request,
    async getMemberAuthentication() {
      const data = await request('getMemberAuthentication');
      const parsed = v.safeParse(MemberAuthenticationSchema, data);
      if (!parsed.success) {
        throw new BridgeError('bad-message', 'ConnectWise sent member authentication in an unexpected shape');
      }
      return parsed.output;
    },
    refreshScreen: () => fireAndForget('refreshScreen', {}),
    setDirty: (dirty) => fireAndForget('setDirty', { dirty }),
    openScreen: ({ screen, id, newTab = false }) => fireAndForget('openScreen', { screen, id, newTab }),
    destroy() {
      status = 'closed';
      transport.close();
      for (const queue of pending.values()) {
        for (const entry of queue.splice(0)) {
          clearTimeout(entry.timer);
          entry.reject(new BridgeError('closed', 'The bridge was closed'));
        }
      }
    },
  };
}
