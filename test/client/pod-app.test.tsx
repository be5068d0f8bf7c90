import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHostBridge } from '../../client/host/bridge.ts';
import { ContextSummary, PodApp } from '../../client/pod/app.tsx';
import { createApi } from '../../client/state/api.ts';
import { createSessionModel, type SessionModel } from '../../client/state/session-model.ts';
import { CW_ORIGIN, FakeConnectWise } from './fakes/fake-connectwise.ts';
import { FakeWindow, settle } from './fakes/fake-window.ts';

const memberAuth = { site: CW_ORIGIN, companyid: 'democw', memberid: 'jsmith', memberHash: 'h' };
const session = {
  token: 't',
  expiresAt: '2026-11-25T12:15:00Z',
  member: { id: 'jsmith', name: 'Jane Smith', email: 'jane@northwind.example' },
  tenant: { id: 't-1', name: 'Northwind Managed Services' },
};

let root: HTMLElement;
let model: SessionModel;
let pod: FakeWindow;
let cw: FakeConnectWise;
let sessionResponse: () => Response;

function mount(opts: { framed?: boolean; url?: string } = {}) {
  const bridge = createHostBridge({
    target: opts.framed === false ? pod : cw,
    self: pod,
    allowedOrigins: [CW_ORIGIN],
  });
  const api = createApi({
    baseUrl: 'https://pod.example.com',
    getToken: () => model.token(),
    fetch: async () => sessionResponse(),
  });
  model = createSessionModel({
    bridge,
    api,
    url: opts.url ?? 'https://pod.example.com/pod?screen=agreement&id=290',
  });
  render(<PodApp model={model} view={ContextSummary} />, root);
}

const text = () => root.textContent?.replace(/\s+/g, ' ').trim();

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  pod = new FakeWindow();
  cw = new FakeConnectWise(pod);
  cw.replies.getmemberauthentication = memberAuth;
  sessionResponse = () => Response.json(session);
});
afterEach(() => {
  render(null, root);
  root.remove();
  model.dispose();
});

describe('pod shell', () => {
  it('starts as connecting, with the record from the URL in the header', () => {
    mount();
    expect(text()).toBe('Pax8 · Agreement #290Connecting to ConnectWise…');
    expect(root.querySelector('[role=status]')).not.toBeNull();
  });

  it('shows the signed-in member and the record in context', async () => {
    mount();
    await model.start();
    await settle();
    expect(text()).toBe(
      'Pax8 · Agreement #290Signed in as Jane Smith · Northwind Managed ServicesRecordAgreement #290Shown asPodMemberJane Smith (jane@northwind.example)',
    );
  });

  it('says when it is not in ConnectWise', async () => {
    mount({ framed: false });
    await model.start();
    await settle();
    expect(text()).toContain('Not in ConnectWise');
    expect(root.querySelector('button')).toBeNull();
  });

  it('shows a failure with the server message, and Retry signs in', async () => {
    sessionResponse = () =>
      Response.json(
        {
          error: {
            code: 'not_configured',
            message: 'This ConnectWise site is not connected yet — open /setup',
          },
        },
        { status: 409 },
      );
    mount();
    await model.start();
    await settle();
    expect(text()).toContain('Could not sign in');
    expect(text()).toContain('This ConnectWise site is not connected yet — open /setup');
    expect(root.querySelector('[role=alert]')).not.toBeNull();
    sessionResponse = () => Response.json(session);
    root.querySelector('button')?.click();
    for (let i = 0; i < 5; i++) await settle();
    expect(text()).toContain('Signed in as Jane Smith');
  });

  it('explains an unsupported screen', async () => {
    mount({ url: 'https://pod.example.com/pod?screen=ticket&id=4' });
    await model.start();
    await settle();
    expect(text()).toContain('This pod works on the Agreement, Company and Company Finance screens.');
  });
});
