// A scripted ConnectWise parent window: answers `ready` with a frame id and requests with canned data.
import { FakeWindow } from './fake-window.ts';

export const CW_ORIGIN = 'https://na.myconnectwise.net';

export class FakeConnectWise extends FakeWindow {
  /** Replies by lower-cased request name; a missing entry means ConnectWise stays silent. */
  replies: Record<string, unknown> = {};
  answerReady = true;

  constructor(
    private readonly pod: FakeWindow,
    private readonly frameId = 'frame-1',
  ) {
    super();
  }

  override postMessage(data: string, origin: string): void {
    super.postMessage(data, origin);
    if (origin !== CW_ORIGIN) return;
    const message = JSON.parse(data) as Record<string, unknown>;
    queueMicrotask(() => {
      if (message.message === 'ready' && this.answerReady) {
        this.pod.deliver(JSON.stringify({ MessageFrameID: this.frameId }), CW_ORIGIN, this);
      }
      const name =
        typeof message.hosted_request === 'string' ? message.hosted_request.toLowerCase() : undefined;
      if (name && name in this.replies) {
        this.pod.deliver(JSON.stringify({ response: name, data: this.replies[name] }), CW_ORIGIN, this);
      }
    });
  }

  /** Fires an event at the pod, as ConnectWise does on load. */
  fire(event: string, id: number, data: unknown): void {
    this.pod.deliver(JSON.stringify({ event, _id: id, data }), CW_ORIGIN, this);
  }
}
