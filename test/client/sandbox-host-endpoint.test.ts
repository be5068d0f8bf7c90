import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createHostEndpoint,
  type HostEndpoint,
  type LogEntry,
} from '../../client/sandbox-host/host-endpoint.ts';
import { FakeWindow, settle } from './fakes/fake-window.ts';

const POD = 'http://localhost:8787';
const auth = { site: 'http://127.0.0.1:8787', companyid: 'democw', memberid: 'jsmith', memberHash: 'h' };

let host: FakeWindow;
let frame: FakeWindow;
let endpoint: HostEndpoint;
let calls: string[];
let log: Omit<LogEntry, 'at'>[];

beforeEach(() => {
  host = new FakeWindow();
  frame = new FakeWindow();
  calls = [];
  log = [];
  endpoint = createHostEndpoint({
    frame: () => frame,
    self: host,
    podOrigin: POD,
    frameId: 'f-1',
    screenObject: () => ({ screen: 'agreement', id: 290, hostedAs: 'pod' }),
    memberAuthentication: async () => auth,
    onRefreshScreen: async () => {
      calls.push('refresh');
    },
    onSetDirty: (dirty) => calls.push(`dirty:${dirty}`),
    onOpenScreen: (screen, id, newTab) => calls.push(`open:${screen}:${id}:${newTab}`),
    log: (entry) => log.push(entry),
    ackTimeoutMs: 1000,
  });
});
afterEach(() => endpoint.destroy());

const fromPod = async (message: object | string, origin = POD, source: unknown = frame) => {
  host.deliver(typeof message === 'string' ? message : JSON.stringify(message), origin, source);
  await settle();
};

describe("sandbox host: ConnectWise's side of the protocol", () => {
  it('answers ready with the frame id, then fires onLoad with the screenObject, as JSON strings to the pod origin', async () => {
    await fromPod({ message: 'ready' });
    expect(frame.posted).toEqual([
      { data: '{"MessageFrameID":"f-1"}', origin: POD },
      {
        data: '{"event":"onLoad","_id":1,"data":{"screenObject":{"screen":"agreement","id":290,"hostedAs":"pod"}}}',
        origin: POD,
      },
    ]);
  });

  it.each([
    ['another origin', { message: 'ready' }, 'http://evil.example', 'frame'],
    ['another window', { message: 'ready' }, POD, 'other'],
  ])('ignores %s', async (_name, message, origin, source) => {
    await fromPod(message, origin, source === 'frame' ? frame : new FakeWindow());
    expect(frame.posted).toEqual([]);
  });

  it.each([
    [
      { hosted_request: 'getMemberAuthentication', frameID: 'f-1' },
      { response: 'getmemberauthentication', data: auth },
      [],
    ],
    [
      { hosted_request: 'setDirty', args: { dirty: true }, frameID: 'f-1' },
      { response: 'setdirty', data: {} },
      ['dirty:true'],
    ],
    [
      { hosted_request: 'refreshScreen', args: {}, frameID: 'f-1' },
      { response: 'refreshscreen', data: {} },
      ['refresh'],
    ],
    [
      { hosted_request: 'openScreen', args: { screen: 'company', id: 250, newTab: true }, frameID: 'f-1' },
      { response: 'openscreen', data: {} },
      ['open:company:250:true'],
    ],
  ])('answers %j', async (request, reply, expectedCalls) => {
    await fromPod({ message: 'ready' });
    frame.posted.length = 0;
    await fromPod(request);
    expect(frame.messages()).toEqual([reply]);
    expect(calls).toEqual(expectedCalls);
  });

  it.each([
    ['a wrong frame id', { hosted_request: 'getMemberAuthentication', frameID: 'f-2' }],
    ['no frame id', { hosted_request: 'getMemberAuthentication' }],
    ["the 'request' key ConnectWise does not use", { request: 'getMemberAuthentication', frameID: 'f-1' }],
  ])('does not answer a request with %s', async (_name, request) => {
    await fromPod({ message: 'ready' });
    frame.posted.length = 0;
    await fromPod(request);
    expect(frame.posted).toEqual([]);
    expect(log.at(-1)?.direction).toBe('note');
  });

  it('resolves an event with the pod acknowledgement', async () => {
    await fromPod({ message: 'ready' });
    await fromPod({ event: 'onLoad', _id: 1, result: 'success', frameID: 'f-1' });
    const saving = endpoint.fire('beforeSave');
    await fromPod({
      event: 'beforeSave',
      _id: 2,
      result: 'failure',
      errors: ['Review open'],
      frameID: 'f-1',
    });
    await expect(saving).resolves.toEqual({ result: 'failure', errors: ['Review open'] });
    expect(frame.messages().at(-1)).toEqual({ event: 'beforeSave', _id: 2, data: {} });
  });
});
