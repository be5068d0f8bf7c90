// The app page rendered (happy-dom) over a fake /api: the session notices, the tabs and their keyboard,
// the audit table with paging, ignore and restore, "nothing checked", and binding a company in place.
import { signal } from '@preact/signals';
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { AppShell } from '../../client/app/app-shell.tsx';
import { checkedTime } from '../../client/app/unsynced-section.tsx';
import { createAppRoot } from '../../client/state/app-root-model.ts';
import type { SessionModel, SessionState } from '../../client/state/session-model.ts';
import { auditOf, companies, nothingRead, pageOf, signedIn } from './app-fakes.ts';
import { text, useMountPoint } from './fakes/dom.ts';
import { FakePodServer, flush } from './pod-fakes.ts';

const host = useMountPoint();

/** The session model's surface the shell reads: its state and retry. */
function fakeSession(state: SessionState): SessionModel & { retries: number } {
  const fake = {
    state: signal(state),
    retries: 0,
    async retry() {
      fake.retries++;
    },
  };
  return fake as unknown as SessionModel & { retries: number };
}

function mount(state: SessionState = signedIn, audit: unknown = auditOf(12)) {
  const server = new FakePodServer();
  let current = audit;
  server.on('GET /api/audit/unsynced', (_, url) => ({
    body: typeof current === 'function' ? (current as (url: URL) => unknown)(url) : current,
  }));
  server.on('GET /api/companies', () => ({ body: companies }));
  server.on('POST /api/audit/ignore', () => {
    current = auditOf(12, [1]);
    return { status: 201, body: { ignored: { subscriptionId: 'x' } } };
  });
  server.on('POST /api/audit/restore', () => {
    current = auditOf(12);
    return { body: { restored: { subscriptionId: 'x' } } };
  });
  server.on('POST /api/bindings/company', (body) => ({ status: 201, body: { binding: body } }));
  const api = server.api();
  // These tests are about the Unsynced and Companies sections; the board (issue 11) is the home otherwise.
  const root = createAppRoot({ api, initial: { section: 'unsynced' } });
  const session = fakeSession(state);
  render(<AppShell session={session} root={root} deps={{ api }} />, host);
  if (state.status === 'signed-in') root.start();
  return { server, root, session };
}

const click = (el: Element | null | undefined) => (el as HTMLElement).click();
const button = (name: string) =>
  [...host.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? text(b)) === name);

describe('app shell', () => {
  it.each([
    [{ status: 'not-in-connectwise', reason: 'not-framed' } as SessionState, 'Not in ConnectWise', false],
    [{ status: 'not-in-connectwise', reason: 'timeout' } as SessionState, 'Not in ConnectWise', true],
    [{ status: 'connecting' } as SessionState, 'Connecting to ConnectWise…', false],
    [
      { status: 'failed', code: 'forbidden', message: 'Member refused' } as SessionState,
      'Could not sign in',
      true,
    ],
  ])('shows a clear notice until signed in (%#)', async (state, title, retry) => {
    const { server, session } = mount(state);
    await flush();
    expect(text(host.querySelector('.cw-notice strong'))).toBe(title);
    expect(host.querySelector('[role="tablist"]')).toBeNull();
    expect(server.calls).toEqual([]);
    if (state.status === 'not-in-connectwise' && state.reason === 'not-framed') {
      expect(text(host.querySelector('.cw-notice'))).toContain('open it from Companies › Pax8');
    }
    expect(Boolean(button('Retry'))).toBe(retry);
    if (retry) {
      click(button('Retry'));
      expect(session.retries).toBe(1);
    }
  });

  it('opens on the audit; arrow keys move between the tabs', async () => {
    const { root } = mount();
    await flush();
    expect(text(host.querySelector('.app-head p'))).toBe(
      'Signed in as Jane Smith · Northwind Managed Services',
    );
    const tabs = [...host.querySelectorAll('[role="tab"]')];
    expect(tabs.map((t) => [text(t), t.getAttribute('aria-selected'), t.getAttribute('tabindex')])).toEqual([
      ['Board', 'false', '-1'],
      ['Companies', 'false', '-1'],
      ['Subscriptions', 'false', '-1'],
      ['Unsynced Subscriptions', 'true', '0'],
      ['Settings', 'false', '-1'],
    ]);
    const list = host.querySelector('[role="tablist"]')!;
    const panel = () => host.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await flush();
    expect(panel()).toBe('app-tab-settings');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await flush();
    expect(root.nav.section.value).toBe('board');
    expect(panel()).toBe('app-tab-board');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    await flush();
    expect(panel()).toBe('app-tab-settings');
  });
});

describe('unsynced subscriptions', () => {
  it('shows every row of a paged answer: a "Load more" button until the last page', async () => {
    const { server } = mount(signedIn, (url: URL) => pageOf(auditOf(25), url, 20));
    await flush();
    const more = () => button('Load more subscriptions');
    expect(text(host.querySelector('.app-more-rows p'))).toBe(
      'Showing 20 of 26 listed subscriptions. Search and filters look at the rows shown.',
    );
    expect(more()?.getAttribute('type')).toBe('button');
    const heading = (id: string) => text(host.querySelector(`#${id}`));
    expect([heading('app-nonarrears'), heading('app-arrears')]).toEqual([
      'Non Arrears Subscriptions (25)',
      'Arrears Subscriptions (1)',
    ]);
    const range = (id: string) => text(host.querySelector(`section[aria-labelledby="${id}"] .app-range`));
    expect([range('app-nonarrears'), range('app-arrears')]).toEqual(['1 - 10 of 20', '0 of 0']);
    more()?.focus();
    expect(document.activeElement).toBe(more());
    click(more());
    await flush();
    expect(server.count('GET /api/audit/unsynced')).toBe(2);
    expect([range('app-nonarrears'), range('app-arrears')]).toEqual(['1 - 10 of 25', '1 - 1 of 1']);
    expect(more()).toBeUndefined();
    expect(host.querySelector('.app-more-rows')).toBeNull();
  });

  it('shows the guide’s table with what was checked, pages it, ignores a row and restores it', async () => {
    const { server } = mount();
    await flush();
    expect(text(host.querySelector('.app-checked p'))).toBe(
      'Checked at 09/20/2020 12:00 UTC · Checked 13 Pax8 subscriptions of 1 company: 12 unsynced, 1 billed in arrears, 0 ignored, 0 synced, 0 ended.',
    );
    const nonArrears = () => host.querySelector('section[aria-labelledby="app-nonarrears"]')!;
    expect([...nonArrears().querySelectorAll('thead th')].map(text)).toEqual([
      'Id',
      'Company',
      'Subscription',
      'Qty',
      'Term',
      'Why',
      'Action(s)',
    ]);
    expect(nonArrears().querySelectorAll('tbody tr')).toHaveLength(10);
    expect(
      [...nonArrears().querySelectorAll('tbody tr')[0]!.querySelectorAll('td, th')].map(text).slice(0, 6),
    ).toEqual(['00000001', 'Ace Chemical Processing Plant', 'Product 1', '1', 'Monthly', 'Never synced']);
    expect(text(nonArrears().querySelector('.app-range'))).toBe('1 - 10 of 12');
    click([...nonArrears().querySelectorAll('.app-pager button')].find((b) => text(b) === 'Next'));
    await flush();
    expect(text(nonArrears().querySelector('.app-range'))).toBe('11 - 12 of 12');
    expect(nonArrears().querySelectorAll('tbody tr')).toHaveLength(2);

    click(button('Ignore Product 11 for Ace Chemical Processing Plant'));
    await flush();
    expect(server.bodies('POST /api/audit/ignore')).toHaveLength(1);
    expect(text(host.querySelector('#app-ignored'))).toBe('Ignored Subscriptions (1)');
    expect(document.activeElement?.id).toBe('app-nonarrears');
    expect(text(host.querySelector('p[role="status"][aria-live="polite"]'))).toMatch(/^Ignored Product 11 /);

    click(button('Restore Product 1 for Ace Chemical Processing Plant'));
    await flush();
    expect(server.bodies('POST /api/audit/restore')).toHaveLength(1);
    expect(text(host.querySelector('#app-ignored'))).toBe('Ignored Subscriptions (0)');
    expect(document.activeElement?.id).toBe('app-ignored');
    expect(text(host.querySelector('section[aria-labelledby="app-ignored"] tbody'))).toBe(
      'No ignored subscriptions.',
    );
  });

  it('never shows an empty read as clean', async () => {
    mount(signedIn, nothingRead);
    await flush();
    expect(text(host.querySelector('.app-checked strong'))).toBe('Nothing checked');
    expect(text(host.querySelector('.cw-notice.warn strong'))).toBe('No subscriptions were read from Pax8');
    expect(text(host.querySelector('section[aria-labelledby="app-nonarrears"] tbody'))).toBe(
      'Nothing was checked.',
    );
  });

  it('sends an unbound company’s row to Companies, searched for its name', async () => {
    const audit = auditOf(1);
    audit.nonArrears = [{ ...audit.nonArrears[0]!, cwCompanyId: null, reason: 'company_not_bound' }];
    const { root } = mount(signedIn, audit);
    await flush();
    click(button('Bind company Ace Chemical Processing Plant'));
    await flush();
    expect(root.nav.section.value).toBe('companies');
    expect((host.querySelector('input[type="search"]') as HTMLInputElement).value).toBe(
      'Ace Chemical Processing Plant',
    );
  });

  it.each([
    ['2020-09-20T12:00:00.000Z', '09/20/2020 12:00 UTC'],
    ['2026-01-05T07:09:59Z', '01/05/2026 07:09 UTC'],
    ['not a date', 'not a date'],
  ])('checkedTime(%s) = %s', (iso, shown) => {
    expect(checkedTime(iso)).toBe(shown);
  });
});

describe('companies', () => {
  it('binds an unbound company to a likely match in place', async () => {
    const { root, server } = mount();
    root.nav.show('companies');
    await flush();
    const rowOf = (name: string) =>
      [...host.querySelectorAll('tbody tr')].find((r) => text(r.querySelector('th')) === name)!;
    expect(text(rowOf('Quarry Street Cafe'))).toContain('No likely match in Pax8');
    click(button('Bind Cedar & Pine Law Office to Cedar and Pine Law Office'));
    await flush();
    expect(server.bodies('POST /api/bindings/company')).toHaveLength(1);
    expect(text(rowOf('Cedar & Pine Law Office').querySelectorAll('td')[1])).toBe(
      'Cedar and Pine Law Office',
    );
    expect(button('Subscriptions of Cedar & Pine Law Office')).toBeDefined();
    expect(text(host.querySelector('p[role="status"][aria-live="polite"]'))).toBe(
      'Cedar & Pine Law Office is now bound to Cedar and Pine Law Office.',
    );
  });
});
