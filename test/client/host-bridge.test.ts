import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHostBridge, type HostBridge } from '../../client/host/bridge.ts';
import { BridgeError } from '../../client/host/errors.ts';
import { FakeWindow, settle } from './fakes/fake-window.ts';

const CW = 'https://na.myconnectwise.net';
const EU = 'https://eu.myconnectwise.net';
const allowedOrigins = [CW, EU];

let parent: FakeWindow;
let self: FakeWindow;
let bridge: HostBridge;

function make(referrer?: string, timeoutMs = 1000): HostBridge {
  return createHostBridge({ target: parent, self, allowedOrigins, referrer, timeoutMs });
}

/** ConnectWise's side of the handshake. */
async function handshake(b: HostBridge, frameId: string | number = 'frame-7'): Promise<void> {
  const connected = b.connect();
  self.deliver(JSON.stringify({ MessageFrameID: frameId }), CW, parent);
  await connected;
  parent.posted.length = 0;
}

beforeEach(() => {
  vi.useFakeTimers();
  parent = new FakeWindow();
  self = new FakeWindow();
});
afterEach(() => {
  bridge?.destroy();
  vi.useRealTimers();
});

describe('handshake', () => {
  it.each([
    ['referrer allowed → ready to it alone', `${CW}/v4_6_release/ConnectWise.aspx`, [CW]],
    ['no referrer → ready to each allowed origin', undefined, [CW, EU]],
    ['foreign referrer → ready to each allowed origin', 'https://evil.example/x', [CW, EU]],
  ])('%s', (_name, referrer, origins) => {
    bridge = make(referrer);
    void bridge.connect();
    expect(parent.posted).toEqual(origins.map((origin) => ({ data: '{"message":"ready"}', origin })));
  });

  it('stores MessageFrameID and connects', async () => {
    bridge = make(CW);
    await handshake(bridge, 41);
    expect(bridge.status()).toBe('connected');
    expect(bridge.frameId()).toBe(41);
  });

  it('accepts an object as well as a JSON string', async () => {
    bridge = make(CW);
    const connected = bridge.connect();
    self.deliver({ MessageFrameID: 'obj' }, CW, parent);
    await connected;
    expect(bridge.frameId()).toBe('obj');
  });

  it('is not framed when target is self', async () => {
    bridge = createHostBridge({ target: self, self, allowedOrigins });
    expect(bridge.status()).toBe('not-framed');
    await expect(bridge.connect()).rejects.toMatchObject({ code: 'not-framed' });
    await expect(bridge.getMemberAuthentication()).rejects.toMatchObject({ code: 'not-framed' });
    expect(self.posted).toEqual([]);
  });

  it('times out, then a retry sends ready again', async () => {
    bridge = make(CW, 500);
    const first = bridge.connect();
    vi.advanceTimersByTime(500);
    await expect(first).rejects.toEqual(
      new BridgeError('timeout', 'ConnectWise did not answer the handshake'),
    );
    expect(bridge.status()).toBe('timeout');
    const second = bridge.connect();
    self.deliver('{"MessageFrameID":"f2"}', CW, parent);
    await second;
    expect(parent.posted.map((p) => p.data)).toEqual(['{"message":"ready"}', '{"message":"ready"}']);
  });
});

describe('origin checks', () => {
  it.each([
    ['a foreign origin', 'https://evil.example', parent],
    ['an allowed origin but another window', CW, new FakeWindow()],
    ['an origin that only starts with an allowed one', `${CW}.evil.example`, parent],
  ])('ignores a frame id from %s', async (_name, origin, source) => {
    bridge = make(CW, 300);
    const connected = bridge.connect();
    self.deliver('{"MessageFrameID":"x"}', origin, source);
    vi.advanceTimersByTime(300);
    await expect(connected).rejects.toMatchObject({ code: 'timeout' });
    expect(bridge.frameId()).toBeUndefined();
  });

  it('after the first answer only that origin is heard, and replies go to it explicitly', async () => {
    bridge = make(undefined);
    const connected = bridge.connect();
    self.deliver('{"MessageFrameID":"eu-1"}', EU, parent);
    await connected;
    self.deliver('{"event":"onLoad","_id":1}', CW, parent);
    self.deliver('{"event":"onLoad","_id":2}', EU, parent);
    await settle();
    expect(parent.posted.slice(2)).toEqual([
      { data: '{"event":"onLoad","_id":2,"result":"success","frameID":"eu-1"}', origin: EU },
    ]);
  });
});

describe('events are acknowledged with their _id and the frame id', () => {
  it.each([
    ['onLoad without a handler', 'onLoad', undefined, { result: 'success' }],
    ['beforeBack without a handler', 'beforeBack', undefined, { result: 'success' }],
    ['beforeSave, handler ok', 'beforeSave', () => ({ ok: true as const }), { result: 'success' }],
    [
      'beforeSave, handler refuses',
      'beforeSave',
      () => ({ ok: false as const, errors: ['Sync in progress', 'Try again'] }),
      { result: 'failure', errors: ['Sync in progress', 'Try again'] },
    ],
    [
      'beforeBack, handler throws',
      'beforeBack',
      () => {
        throw new Error('Unsaved review');
      },
      { result: 'failure', errors: ['Unsaved review'] },
    ],
  ])('%s', async (_name, event, handler, outcome) => {
    bridge = make(CW);
    await handshake(bridge);
    if (handler) bridge.on(event, handler);
    self.deliver(JSON.stringify({ event, _id: 'e-3', data: {} }), CW, parent);
    await settle();
    expect(parent.messages()).toEqual([{ event, _id: 'e-3', ...outcome, frameID: 'frame-7' }]);
    expect(parent.posted[0]?.origin).toBe(CW);
  });

  it('passes the onLoad screenObject to the handler', async () => {
    bridge = make(CW);
    await handshake(bridge);
    const seen: unknown[] = [];
    bridge.on('onLoad', (e) => {
      seen.push(e.screenObject);
      return undefined;
    });
    self.deliver(
      '{"event":"onLoad","_id":12,"data":{"screenObject":{"screen":"company","id":253,"hostedAs":"pod"}}}',
      CW,
      parent,
    );
    await settle();
    expect(seen).toEqual([{ screen: 'company', id: 253, hostedAs: 'pod' }]);
    expect(parent.posted[0]?.data).toBe('{"event":"onLoad","_id":12,"result":"success","frameID":"frame-7"}');
  });
});

describe('requests', () => {
  const auth = {
    site: 'https://na.myconnectwise.net',
    companyid: 'democw',
    memberid: 'jsmith',
    memberHash: 'h4sh',
    memberContext: 'web',
    memberEmail: 'jsmith@example.com',
  };

  it('getMemberAuthentication: exact message, answer matched by lower-cased name', async () => {
    bridge = make(CW);
    await handshake(bridge);
    const result = bridge.getMemberAuthentication();
    await settle();
    expect(parent.posted).toEqual([
      { data: '{"hosted_request":"getMemberAuthentication","frameID":"frame-7"}', origin: CW },
    ]);
    self.deliver(JSON.stringify({ response: 'getmemberauthentication', data: auth }), CW, parent);
    await expect(result).resolves.toEqual(auth);
  });

  it('waits for the frame id before sending a request', async () => {
    bridge = make(CW);
    const result = bridge.request('getMemberAuthentication');
    expect(parent.posted.map((p) => p.data)).toEqual(['{"message":"ready"}']);
    self.deliver('{"MessageFrameID":"late"}', CW, parent);
    await settle();
    expect(parent.posted[1]?.data).toBe('{"hosted_request":"getMemberAuthentication","frameID":"late"}');
    self.deliver('{"response":"getmemberauthentication","data":{"a":1}}', CW, parent);
    await expect(result).resolves.toEqual({ a: 1 });
  });

  it('a response for another name does not resolve; same-name answers go first-in first-out', async () => {
    bridge = make(CW);
    await handshake(bridge);
    const first = bridge.request('getThing', { n: 1 });
    const second = bridge.request('getThing', { n: 2 });
    await settle();
    self.deliver('{"response":"getother","data":"no"}', CW, parent);
    self.deliver('{"response":"getthing","data":"one"}', CW, parent);
    self.deliver('{"response":"GETTHING","data":"two"}', CW, parent);
    await expect(first).resolves.toBe('one');
    await expect(second).resolves.toBe('two');
  });

  it('times out with a typed error', async () => {
    bridge = make(CW, 2000);
    await handshake(bridge);
    const result = bridge.getMemberAuthentication();
    await settle();
    vi.advanceTimersByTime(2000);
    await expect(result).rejects.toEqual(
      new BridgeError('timeout', 'ConnectWise did not answer getMemberAuthentication'),
    );
  });

  it('rejects member authentication in the wrong shape as bad-message', async () => {
    bridge = make(CW);
    await handshake(bridge);
    const result = bridge.getMemberAuthentication();
    await settle();
    self.deliver(
      '{"response":"getmemberauthentication","data":{"companyId":"x","memberId":"y"}}',
      CW,
      parent,
    );
    await expect(result).rejects.toMatchObject({ code: 'bad-message' });
  });

  it.each([
    [
      'setDirty',
      (b: HostBridge) => b.setDirty(true),
      '{"hosted_request":"setDirty","args":{"dirty":true},"frameID":9}',
    ],
    [
      'refreshScreen',
      (b: HostBridge) => b.refreshScreen(),
      '{"hosted_request":"refreshScreen","args":{},"frameID":9}',
    ],
    [
      'openScreen',
      (b: HostBridge) => b.openScreen({ screen: 'company', id: 250, newTab: true }),
      '{"hosted_request":"openScreen","args":{"screen":"company","id":250,"newTab":true},"frameID":9}',
    ],
  ])('%s sends the exact message', async (_name, call, expected) => {
    bridge = make(CW);
    await handshake(bridge, 9);
    await call(bridge);
    expect(parent.posted).toEqual([{ data: expected, origin: CW }]);
  });
});

describe('malformed data is ignored', () => {
  it.each([
    ['not JSON', '{"MessageFrameID":'],
    ['null', null],
    ['a number', 42],
    ['an unknown shape', '{"hello":"world"}'],
    ['an event without _id', '{"event":"onLoad","data":{}}'],
    ['a response with a numeric name', '{"response":5,"data":{}}'],
    ['a screenObject without id', '{"event":"onLoad","_id":1,"data":{"screenObject":{"screen":"company"}}}'],
  ])('%s', async (_name, data) => {
    bridge = make(CW);
    await handshake(bridge);
    self.deliver(data, CW, parent);
    await settle();
    expect(parent.posted).toEqual([]);
    expect(bridge.status()).toBe('connected');
  });
});
