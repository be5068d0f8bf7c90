// The full-width Pax8 page: bound companies listed, each opened on demand into its company view.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppPage } from '../../client/app/app-page.tsx';
import { createAppModel } from '../../client/state/app-model.ts';
import { agreement, boundView, FakePodServer, flush, PAX8_ACE } from './pod-fakes.ts';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('Pax8 app page', () => {
  it('lists bound companies and loads a company view only when opened', async () => {
    const server = new FakePodServer();
    server.on('GET /api/bindings', () => ({
      body: {
        companies: [
          { cwCompanyId: 19, pax8CompanyId: PAX8_ACE },
          { cwCompanyId: 20, pax8CompanyId: '77777777-7777-4777-8777-777777777777' },
        ],
        products: [],
      },
    }));
    server.on('GET /api/views/company/19', () => ({
      body: { company: agreement.company, agreements: [agreement], ...boundView, agreement: undefined },
    }));
    const api = server.api();
    const model = createAppModel({ api });
    render(<AppPage model={model} deps={{ api }} />, root);
    await model.load();
    await flush();
    const toggles = [...root.querySelectorAll('button.app-toggle')];
    expect(toggles.map((b) => text(b))).toEqual(['▸ ConnectWise company #19', '▸ ConnectWise company #20']);
    expect(server.count('GET /api/views/company/19')).toBe(0);
    (toggles[0] as HTMLButtonElement).click();
    await flush();
    expect(toggles[0]?.getAttribute('aria-expanded')).toBe('true');
    expect(server.count('GET /api/views/company/19')).toBe(1);
    expect(text(root.querySelector('.app-company h2'))).toBe('Ace Chemical Processing Plant');
    expect(text(root.querySelector('.app-company .pv-count'))).toBe('2 out of step · 3 subscriptions');
    expect(server.count('GET /api/views/company/20')).toBe(0);
  });

  it.each([
    [{ status: 200, body: { companies: [], products: [] } }, 'No bound companies yet'],
    [
      { status: 500, body: { error: { code: 'internal', message: 'Internal error' } } },
      'Could not load the companies',
    ],
  ])('shows the empty and error states (%#)', async (reply, title) => {
    const server = new FakePodServer();
    server.on('GET /api/bindings', () => reply);
    const api = server.api();
    const model = createAppModel({ api });
    render(<AppPage model={model} deps={{ api }} />, root);
    await model.load();
    await flush();
    expect(text(root.querySelector('.cw-notice strong'))).toBe(title);
  });
});
