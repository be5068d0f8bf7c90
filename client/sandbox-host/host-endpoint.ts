// ConnectWise's side of the Hosted API for one framed pod or tab, as exactly as the reference allows
// (§1.4–§1.6): JSON strings, `{"MessageFrameID"}` after `ready`, onLoad with `_id` and a screenObject,
// replies `{"response":"<lower-cased>","data"}`. Only messages from the frame's window and origin count.
import { encode, type MemberAuthentication, parsePodMessage, type ScreenObject } from '../host/protocol.ts';
import type { MessageSourceLike, MessageTargetLike } from '../host/transport.ts';

export type LogEntry = { at: number; frame: string; direction: 'in' | 'out' | 'note'; text: string };
export type AckResult =
  | { result: 'success' }
  | { result: 'failure'; errors: string[] }
  | { result: 'timeout' };

export type HostEndpointOptions = {
  frame: () => MessageTargetLike | null;
  self: MessageSourceLike;
  podOrigin: string;
  frameId: string;
  /** undefined for a menu entry's page: its onLoad names no record. */
  screenObject: () => ScreenObject | undefined;
  memberAuthentication: () => Promise<MemberAuthentication>;
  onRefreshScreen: () => Promise<void>;
  onSetDirty: (dirty: boolean) => void;
  onOpenScreen: (screen: string, id: number, newTab: boolean) => void;
  log: (entry: Omit<LogEntry, 'at'>) => void;
  ackTimeoutMs?: number;
};

export type HostEndpoint = {
  /** Fires an event and waits for the pod's ack (or the timeout). */
  fire(event: 'onLoad' | 'beforeSave' | 'beforeBack'): Promise<AckResult>;
  destroy(): void;
};

export function createHostEndpoint(opts: HostEndpointOptions): HostEndpoint {
  let nextId = 1;
  let ready = false;
  const waiting = new Map<string, (ack: AckResult) => void>();
  const note = (text: string) => opts.log({ frame: opts.frameId, direction: 'note', text });

  const post = (message: object) => {
    const target = opts.frame();
    if (!target) return;
    const data = encode(message);
    target.postMessage(data, opts.podOrigin);
    opts.log({ frame: opts.frameId, direction: 'out', text: data });
  };

  const fire = (event: 'onLoad' | 'beforeSave' | 'beforeBack'): Promise<AckResult> => {
    if (!ready) return Promise.resolve({ result: 'timeout' });
    const id = nextId++;
    const screenObject = event === 'onLoad' ? opts.screenObject() : undefined;
    const data = screenObject ? { screenObject } : {};
    return new Promise((resolve) => {
      const key = `${event}:${id}`;
      const timer = setTimeout(() => {
        waiting.delete(key);
        note(`no acknowledgement for ${event} ${id}`);
        resolve({ result: 'timeout' });
      }, opts.ackTimeoutMs ?? 5000);
      waiting.set(key, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      post({ event, _id: id, data });
    });
  };

  const reply = (name: string, data: unknown) => post({ response: name.toLowerCase(), data });

  const onMessage = async (event: MessageEvent) => {
    if (event.source !== (opts.frame() as unknown) || event.origin !== opts.podOrigin) return;
    const text = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
    opts.log({ frame: opts.frameId, direction: 'in', text });
    const message = parsePodMessage(event.data);
    if (!message) return note('ignored: not a Hosted API message');
    if (message.kind === 'ready') {
      ready = true;
      post({ MessageFrameID: opts.frameId });
      void fire('onLoad');
      return;
    }
    if (String(message.message.frameID) !== opts.frameId) {
      return note(`ignored: frameID ${message.message.frameID ?? '(missing)'} is not ${opts.frameId}`);
    }
    if (message.kind === 'ack') {
      const { event: name, _id, result, errors } = message.message;
      waiting.get(`${name}:${_id}`)?.(result === 'success' ? { result } : { result, errors: errors ?? [] });
      waiting.delete(`${name}:${_id}`);
      return;
    }
    const { hosted_request: name, args = {} } = message.message;
    switch (name.toLowerCase()) {
      case 'getmemberauthentication':
        return reply(name, await opts.memberAuthentication());
      case 'refreshscreen':
        reply(name, {});
        return opts.onRefreshScreen();
      case 'setdirty':
        opts.onSetDirty(args.dirty === true);
        return reply(name, {});
      case 'openscreen': {
        const id = Number(args.id);
        if (typeof args.screen !== 'string' || !Number.isInteger(id))
          return note('openScreen needs screen and id');
        opts.onOpenScreen(args.screen, id, args.newTab === true);
        return reply(name, {});
      }
      default:
        return note(`unknown request ${name}`);
    }
  };
  const listener = (event: MessageEvent) => void onMessage(event);
  opts.self.addEventListener('message', listener);

  return {
    fire,
    destroy() {
      opts.self.removeEventListener('message', listener);
      for (const resolve of waiting.values()) resolve({ result: 'timeout' });
      waiting.clear();
    },
  };
}
