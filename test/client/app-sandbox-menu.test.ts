// The sandbox host's side of the Companies › Pax8 menu entry: which entries show under a location, the
// framed URL (cross-origin on loopback), and an onLoad that names no record.
import { describe, expect, it } from 'vitest';
import { menuEntriesAt, menuFrame } from '../../client/sandbox-host/frames.ts';
import { createHostEndpoint } from '../../client/sandbox-host/host-endpoint.ts';
import { FakeWindow, settle } from './fakes/fake-window.ts';

const entry = (id: number, menuLocation: string, caption = 'Pax8', link = 'http://127.0.0.1:8787/app') => ({
  id,
  menuLocation,
  caption,
  link,
});

describe('menu entries', () => {
  it.each([
    ['the registered entry', [entry(7, 'Companies')], [[7, 'Pax8', true]]],
    ['location compared without case', [entry(7, 'companies')], [[7, 'Pax8', true]]],
    [
      'several, in order; other locations left out',
      [entry(7, 'Companies'), entry(8, 'Finance', 'Billing'), entry(9, 'Companies', 'Reports')],
      [
        [7, 'Pax8', true],
        [9, 'Reports', true],
      ],
    ],
    ['none registered: the default, marked', [entry(8, 'Finance')], [[0, 'Pax8', false]]],
    ['nothing at all: the default, marked', [], [[0, 'Pax8', false]]],
  ])('%s', (_name, entries, expected) => {
    expect(
      menuEntriesAt(entries, 'Companies').map((m) => [m.entry.id, m.entry.caption, m.registered]),
    ).toEqual(expected);
  });

  it.each([
    ['http://127.0.0.1:8787/app', 'http://localhost:8787/app', 'http://localhost:8787'],
    ['/app', 'http://localhost:8787/app', 'http://localhost:8787'],
    ['https://pod.example.com/app', 'https://pod.example.com/app', 'https://pod.example.com'],
  ])('frames %s as %s', (link, src, origin) => {
    const spec = menuFrame(
      entry(7, 'Companies', 'Pax8', link),
      new URL('http://127.0.0.1:8787/sandbox/host'),
      true,
    );
    expect(spec).toEqual({
      key: 'menu-7',
      description: 'Pax8',
      type: 'Tab',
      src,
      origin,
      height: 760,
      registered: true,
    });
  });
});

describe('host endpoint for a menu entry page', () => {
  it('fires onLoad with no screenObject when the page has no record', async () => {
    const host = new FakeWindow();
    const frame = new FakeWindow();
    const endpoint = createHostEndpoint({
      frame: () => frame,
      self: host,
      podOrigin: 'http://localhost:8787',
      frameId: 'menu-7-1',
      screenObject: () => undefined,
      memberAuthentication: async () => ({ site: 's', companyid: 'c', memberid: 'm', memberHash: 'h' }),
      onRefreshScreen: async () => {},
      onSetDirty: () => {},
      onOpenScreen: () => {},
      log: () => {},
      ackTimeoutMs: 1000,
    });
    host.deliver(JSON.stringify({ message: 'ready' }), 'http://localhost:8787', frame);
    await settle();
    expect(frame.messages()).toEqual([{ MessageFrameID: 'menu-7-1' }, { event: 'onLoad', _id: 1, data: {} }]);
    endpoint.destroy();
  });
});
