import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHostBridge } from '../../client/host/bridge.ts';
import { ApiError, createApi } from '../../client/state/api.ts';
import { createSessionModel, type SessionModel } from '../../client/state/session-model.ts';
import { CW_ORIGIN, FakeConnectWise } from './fakes/fake-connectwise.ts';
import { FakeWindow, settle } from './fakes/fake-window.ts';

const memberAuth = {
  site: 'https://na.myconnectwise.net',
  companyid: 'democw',
  memberid: 'jsmith',
  memberHash: 'hash-1',
  memberContext: 'web',
  memberEmail: 'jane@northwind.example',
};

/** A fake of our server's /api: sessions for one member, and a resource that wants the current token. */
class FakeServer {
  issued = 0;
  validToken = '';
  sessionError: { status: number; code: string; message: string } | undefined;
  bodies: unknown[] = [];
  seenTokens: (string | null)[] = [];
  refuseAll = false;

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const auth = new Headers(init?.headers).get('authorization');
    if (url.pathname === '/api/session' && init?.method === 'POST') {
      this.bodies.push(JSON.parse(String(init.body)));
      if (this.sessionError) {
        const { status, code, message } = this.sessionError;
        return Response.json({ error: { code, message } }, { status });
      }
      this.issued++;
      this.validToken = `token-${this.issued}`;
      // Asked for a record's view too: the server answers it with the session (issue 13).
      const { view } = JSON.parse(String(init.body)) as { view?: { kind: string; id: number } };
      return Response.json({
        token: this.validToken,
        expiresAt: '2026-11-25T12:15:00Z',
        member: { id: 'jsmith', name: 'Jane Smith', email: 'jane@northwind.example' },
        tenant: { id: 't-1', name: 'Northwind Managed Services' },
        ...(view ? { view: { ...view, data: { rows: [`rows of ${view.kind} ${view.id}`] } } } : {}),
      });
    }
    if (url.pathname === '/api/things') {
      this.seenTokens.push(auth);
      if (this.refuseAll || auth !== `Bearer ${this.validToken}`) {
        return Response.json(
          { error: { code: 'unauthorized', message: 'Session expired' } },
          { status: 401 },
        );
      }
      return Response.json({ things: 3 });
    }
    return new Response('gateway down', { status: 502 });
  };
}

let pod: FakeWindow;
let cw: FakeConnectWise;
let server: FakeServer;
let model: SessionModel;

function setup(opts: { framed?: boolean; url?: string; firstView?: boolean } = {}) {
  const bridge = createHostBridge({
    target: opts.framed === false ? pod : cw,
    self: pod,
    allowedOrigins: [CW_ORIGIN],
    timeoutMs: 1000,
  });
  const api = createApi({
    baseUrl: 'https://pod.example.com',
    getToken: () => model.token(),
    renewToken: () => model.renew(),
    fetch: server.fetch,
  });
  model = createSessionModel({
    bridge,
    api,
    ...(opts.firstView ? { firstView: true } : {}),
    url:
      opts.url ?? 'https://pod.example.com/pod?t=Tk_0123456789abcdefghijklmnopqrstu&screen=agreement&id=290',
  });
  return api;
}

beforeEach(() => {
  pod = new FakeWindow();
  cw = new FakeConnectWise(pod);
  cw.replies.getmemberauthentication = memberAuth;
  server = new FakeServer();
});
afterEach(() => {
  model.dispose();
  vi.useRealTimers();
});

describe('session model', () => {
  it('connects, asks ConnectWise for the member and signs in', async () => {
    setup();
    const seen: string[] = [];
    const stop = model.state.subscribe((s) => seen.push(s.status));
    await model.start();
    stop();
    expect(seen).toEqual(['connecting', 'signing-in', 'signed-in']);
    // ConnectWise's answer plus the tenant key of the pod URL.
    expect(server.bodies).toEqual([{ ...memberAuth, tenantKey: 'Tk_0123456789abcdefghijklmnopqrstu' }]);
    expect(model.session.value).toMatchObject({ token: 'token-1', member: { name: 'Jane Smith' } });
  });

  it("with firstView, asks for the URL's record with the session and hands its view over once", async () => {
    setup({ firstView: true });
    await model.start();
    expect(server.bodies).toEqual([
      {
        ...memberAuth,
        tenantKey: 'Tk_0123456789abcdefghijklmnopqrstu',
        view: { kind: 'agreement', id: 290 },
      },
    ]);
    expect(model.session.value).not.toHaveProperty('view');
    expect(model.takeView('agreement', 290)).toEqual({ rows: ['rows of agreement 290'] });
    // Once only: a reload asks GET /api/views for a view as of then.
    expect(model.takeView('agreement', 290)).toBeUndefined();
  });

  it('with firstView, a view of another record is not handed over; a renewal asks no view', async () => {
    setup({ firstView: true });
    await model.start();
    expect(model.takeView('company', 290)).toBeUndefined();
    expect(model.takeView('agreement', 290)).toBeUndefined();
    await model.renew();
    expect(server.bodies).toHaveLength(2);
    expect(server.bodies[1]).not.toHaveProperty('view');
    expect(model.takeView('agreement', 290)).toBeUndefined();
  });

  it('with firstView on a company finance screen, asks for the company view', async () => {
    setup({
      firstView: true,
      url: 'https://pod.example.com/pod?t=Tk_0123456789abcdefghijklmnopqrstu&screen=companyfinance&id=19',
    });
    await model.start();
    expect(server.bodies[0]).toMatchObject({ view: { kind: 'company', id: 19 } });
    expect(model.takeView('company', 19)).toEqual({ rows: ['rows of company 19'] });
  });

  it('takes the context from the URL, then from onLoad', async () => {
    setup();
    expect(model.context.value).toEqual({
      ok: true,
      context: { kind: 'agreement', id: 290, hostedAs: 'pod', source: 'url' },
    });
    await model.start();
    cw.fire('onLoad', 5, { screenObject: { screen: 'company', id: 253, hostedAs: 'pod' } });
    await settle();
    expect(model.context.value).toEqual({
      ok: true,
      context: { kind: 'company', id: 253, hostedAs: 'pod', source: 'onLoad' },
    });
    expect(model.loads.value).toBe(1);
    expect(cw.messages().at(-1)).toEqual({ event: 'onLoad', _id: 5, result: 'success', frameID: 'frame-1' });
  });

  it('is not in ConnectWise when not framed, and calls nothing', async () => {
    setup({ framed: false });
    await model.start();
    expect(model.state.value).toEqual({ status: 'not-in-connectwise', reason: 'not-framed' });
    expect(server.bodies).toEqual([]);
  });

  it('reports a silent parent as not in ConnectWise, and a retry recovers', async () => {
    vi.useFakeTimers();
    setup();
    cw.answerReady = false;
    const started = model.start();
    await vi.advanceTimersByTimeAsync(1000);
    await started;
    expect(model.state.value).toEqual({ status: 'not-in-connectwise', reason: 'timeout' });
    cw.answerReady = true;
    await model.retry();
    expect(model.state.value.status).toBe('signed-in');
  });

  it.each([
    [
      {
        status: 404,
        code: 'not_configured',
        message: 'This ConnectWise site is not connected yet — open /setup',
      },
    ],
    [{ status: 401, code: 'unauthorized', message: 'ConnectWise did not accept the member' }],
  ])('fails with the server error %j, and a retry signs in once it is fixed', async (error) => {
    setup();
    server.sessionError = error;
    await model.start();
    expect(model.state.value).toEqual({ status: 'failed', code: error.code, message: error.message });
    server.sessionError = undefined;
    await model.retry();
    expect(model.state.value.status).toBe('signed-in');
  });

  it('fails with bad-message when ConnectWise sends member data in the wrong shape', async () => {
    setup();
    cw.replies.getmemberauthentication = { companyId: 'democw', memberId: 'jsmith' };
    await model.start();
    expect(model.state.value).toMatchObject({ status: 'failed', code: 'bad-message' });
    expect(server.bodies).toEqual([]);
  });
});

describe('api client', () => {
  it('signs in again only once when the server keeps refusing', async () => {
    const api = setup();
    await model.start();
    server.refuseAll = true;
    await expect(api.get('/api/things')).rejects.toEqual(
      new ApiError('unauthorized', 'Session expired', 401),
    );
    expect(server.seenTokens).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(server.issued).toBe(2);
  });

  it('renews an expired token and retries the call', async () => {
    const api = setup();
    await model.start();
    server.validToken = 'token-2'; // the server now wants the next token
    await expect(api.get('/api/things')).resolves.toEqual({ things: 3 });
    expect(server.seenTokens).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(model.session.value?.token).toBe('token-2');
  });

  it.each([['a non-JSON error', '/api/other', new ApiError('bad-response', 'The server answered 502', 502)]])(
    'turns %s into a typed error',
    async (_name, path, expected) => {
      const api = setup();
      await expect(api.get(path)).rejects.toEqual(expected);
    },
  );

  it('turns a network failure into a network error', async () => {
    const api = createApi({
      baseUrl: 'https://pod.example.com',
      getToken: () => undefined,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    setup();
    await expect(api.get('/api/things')).rejects.toMatchObject({ code: 'network', status: 0 });
  });
});
