// The origin-checked postMessage transport (penpal-style): only messages from an allowed origin (and from
// the framing window, when the event names its source) get through, and replies go to that explicit
// origin, never '*'.

/** The parts of a Window the transport uses, so tests can hand it a fake pair. */
export type MessageTargetLike = { postMessage(message: string, targetOrigin: string): void };
export type MessageSourceLike = {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
};

export type TransportOptions = {
  /** The window we talk to (window.parent for the pod). */
  target: MessageTargetLike;
  /** The window we listen on (our own window). */
  self: MessageSourceLike;
  allowedOrigins: readonly string[];
  /** document.referrer (or another hint of who framed us). */
  referrer?: string | undefined;
};

export type Transport = {
  /** Sends the first message, before we know which allowed origin framed us. */
  announce(message: string): void;
  /** Sends to the origin the peer spoke from; false when the peer has not spoken yet. */
  send(message: string): boolean;
  listen(handler: (data: unknown, origin: string) => void): () => void;
  peerOrigin(): string | undefined;
  close(): void;
};

export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export function createTransport(opts: TransportOptions): Transport {
  const allowed = new Set(opts.allowedOrigins.map(originOf).filter((o): o is string => o !== undefined));
  const handlers = new Set<(data: unknown, origin: string) => void>();
  let peer: string | undefined;

  const onMessage = (event: MessageEvent) => {
    if (!allowed.has(event.origin)) return;
    // Once the peer has spoken, it is the only origin we accept: another allowed origin is someone else.
    if (peer !== undefined && event.origin !== peer) return;
    if (event.source != null && event.source !== (opts.target as unknown)) return;
    peer ??= event.origin;
    for (const handler of handlers) handler(event.data, event.origin);
  };
  opts.self.addEventListener('message', onMessage);

  return {
    announce(message) {
      // ConnectWise's iframe referrer names the UI origin; when it is allowed, `ready` goes there alone.
      // Without it (Referrer-Policy: no-referrer) we post to each allowed origin one by one: the browser
      // drops each post whose origin does not match the parent, so nothing reaches a foreign page.
      const referred = originOf(opts.referrer);
      const targets = referred && allowed.has(referred) ? [referred] : [...allowed];
      for (const origin of targets) opts.target.postMessage(message, origin);
    },
    send(message) {
      if (peer === undefined) return false;
      opts.target.postMessage(message, peer);
      return true;
    },
    listen(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    peerOrigin: () => peer,
    close() {
      handlers.clear();
      opts.self.removeEventListener('message', onMessage);
    },
  };
}
