// Full stack in a real browser: the sandbox host page (127.0.0.1) frames the pod (localhost), the pod
// speaks the Hosted API, signs in through /api/session and shows the record in context.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { cwApi, sandboxTenantKey, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('sandbox host page → pod signed in (Chromium)', () => {
  const sandbox = useSandbox('pod-e2e-');

  async function hostPage(query: string): Promise<Page> {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${sandbox.server.url}/sandbox/host${query}`);
    return page;
  }

  it('frames the pod cross-origin; the pod signs in and shows the agreement in context', async () => {
    const page = await hostPage('?screen=agreement');
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await expect
      .poll(() => pod.locator('.pod-member').textContent(), { timeout: 20_000 })
      .toContain('Signed in as');
    const header = await pod.locator('.pod-head h1').textContent();
    expect(header).toMatch(/^Pax8 · Agreement #\d+$/);
    const id = new URL(page.url()).searchParams.get('id');
    expect(header).toBe(`Pax8 · Agreement #${id}`);

    const src = await page.locator('iframe.cw-frame-pod').first().getAttribute('src');
    expect(new URL(src ?? '').hostname).toBe('localhost');
    expect(new URL(src ?? '').searchParams.get('screen')).toBe('agreement');

    await page.getByText(/Hosted API protocol log/).click();
    const log = await page.locator('.cw-log-list').textContent();
    for (const part of [
      '{"message":"ready"}',
      'MessageFrameID',
      '"event":"onLoad"',
      '"result":"success"',
      'getmemberauthentication',
    ]) {
      expect(log).toContain(part);
    }
    await page.screenshot({ path: screenshotPath('sandbox-host-agreement-1280'), fullPage: true });
    await page
      .locator('iframe.cw-frame-pod')
      .first()
      .screenshot({ path: screenshotPath('pod-framed-320') });
    await page.close();
  });

  it('switches to a company: the pod follows the new record', async () => {
    const page = await hostPage('?screen=agreement');
    await page.getByRole('link', { name: 'Companies', exact: true }).click();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await expect
      .poll(() => pod.locator('.pod-head h1').textContent(), { timeout: 20_000 })
      .toMatch(/Company #\d+/);
    await expect
      .poll(() => pod.locator('.pod-member').textContent(), { timeout: 20_000 })
      .toContain('Signed in as');
    await page.screenshot({ path: screenshotPath('sandbox-host-company-1280'), fullPage: true });
    await page.close();
  });

  it('shows the full-width Pax8 tab, signed in', async () => {
    const page = await hostPage('?screen=company');
    await page.getByRole('tab', { name: /^Pax8/ }).first().click();
    const tab = page.frameLocator('iframe.cw-frame-tab');
    await expect
      .poll(() => tab.locator('.pod-member').textContent(), { timeout: 20_000 })
      .toContain('Signed in as');
    await page.screenshot({ path: screenshotPath('sandbox-host-tab-1280'), fullPage: true });
    await page.close();
  });

  it('uses the registered hosted setups: their description, url and podHeight', async () => {
    const cw = await cwApi(sandbox.server.url);
    const headers = { ...cw.headers, 'content-type': 'application/json' };
    const screens = await (
      await fetch(`${cw.apiBaseUrl}/system/reports/ConnectWiseHostedApiScreen`, { headers })
    ).json();
    const financeScreen = screens.row_values.find(
      (r: [number, string]) => r[1] === 'CompanyFinanceDetail',
    )[0];
    const key = await sandboxTenantKey(sandbox.server.url);
    for (const body of [
      {
        type: 'Pod',
        description: 'Pax8 registered',
        url: `${sandbox.server.url}/pod?t=${key}&screen=[cw_screen]&id=[cw_id]`,
        podHeight: 300,
      },
      {
        type: 'Tab',
        description: 'Pax8 registered tab',
        url: `${sandbox.server.url}/pod?t=${key}&screen=[cw_screen]&id=[cw_id]&view=tab`,
      },
    ]) {
      const res = await fetch(`${cw.apiBaseUrl}/system/connectwisehostedsetups`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ screenId: financeScreen, origin: sandbox.server.url, ...body }),
      });
      expect(res.status).toBe(201);
    }
    const page = await hostPage('?screen=companyfinance');
    const section = page.locator('section.cw-pod', { hasText: 'Pax8 registered' });
    await expect
      .poll(() => section.locator('.cw-pod-title').textContent(), { timeout: 20_000 })
      .toBe('Pax8 registered');
    const frame = section.locator('iframe');
    expect(await frame.evaluate((el) => el.getBoundingClientRect().height)).toBe(300);
    expect(new URL((await frame.getAttribute('src')) ?? '').search).toMatch(
      new RegExp(`^\\?t=${key}&screen=companyfinance&id=\\d+$`),
    );
    const pod = section.frameLocator('iframe');
    await expect
      .poll(() => pod.locator('.pod-member').textContent(), { timeout: 20_000 })
      .toContain('Signed in as');
    expect(await pod.locator('.pod-head h1').textContent()).toMatch(/Company Finance #\d+/);
    await page.getByRole('tab', { name: 'Pax8 registered tab' }).click();
    const tab = page.frameLocator('iframe.cw-frame-tab');
    await expect
      .poll(() => tab.locator('.pod-member').textContent(), { timeout: 20_000 })
      .toContain('Signed in as');
    await page.screenshot({ path: screenshotPath('sandbox-host-registered-tab-1280'), fullPage: true });
    await page.close();
  });

  it('the pod opened outside ConnectWise says so', async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 320, height: 480 } });
    const key = await sandboxTenantKey(sandbox.server.url);
    await page.goto(
      `${sandbox.server.url.replace('127.0.0.1', 'localhost')}/pod?t=${key}&screen=agreement&id=290`,
    );
    await expect
      .poll(() => page.locator('.cw-notice').textContent(), { timeout: 20_000 })
      .toContain('Not in ConnectWise');
    await page.screenshot({ path: screenshotPath('pod-not-framed-320') });
    await page.close();
  });

  it('with nothing registered, frames its default pod with the sandbox tenant key, and it signs in', async () => {
    const cw = await cwApi(sandbox.server.url);
    const key = await sandboxTenantKey(sandbox.server.url);
    const setups: { id: number }[] = await (
      await fetch(`${cw.apiBaseUrl}/system/connectwisehostedsetups?pageSize=1000`, { headers: cw.headers })
    ).json();
    for (const { id } of setups) {
      const res = await fetch(`${cw.apiBaseUrl}/system/connectwisehostedsetups/${id}`, {
        method: 'DELETE',
        headers: cw.headers,
      });
      expect(res.status).toBeLessThan(300);
    }
    const page = await hostPage('?screen=agreement');
    const frame = page.locator('iframe.cw-frame-pod').first();
    await expect.poll(() => frame.getAttribute('src'), { timeout: 20_000 }).toMatch(/\/pod\?t=/);
    expect(new URL((await frame.getAttribute('src')) ?? '').searchParams.get('t')).toBe(key);
    await expect
      .poll(() => page.frameLocator('iframe.cw-frame-pod >> nth=0').locator('.pod-member').textContent(), {
        timeout: 20_000,
      })
      .toContain('Signed in as');
    await page.close();
  });
});
