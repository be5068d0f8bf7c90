// A fake pair of windows for the bridge: records what is posted and delivers messages with an origin.
export type Posted = { data: string; origin: string };

export class FakeWindow {
  readonly posted: Posted[] = [];
  private readonly listeners = new Set<(event: MessageEvent) => void>();

  postMessage(data: string, origin: string): void {
    this.posted.push({ data, origin });
  }

  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.delete(listener);
  }

  /** Delivers a message as if `source` posted it from `origin`. */
  deliver(data: unknown, origin: string, source: unknown = null): void {
    const event = { data, origin, source } as unknown as MessageEvent;
    for (const listener of [...this.listeners]) listener(event);
  }

  /** The posted messages, parsed. */
  messages(): unknown[] {
    return this.posted.map((p) => JSON.parse(p.data));
  }
}

/** Lets pending promise callbacks (acks, queued requests) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
