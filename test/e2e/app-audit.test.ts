// The full app in a real browser: the sandbox host's "Pax8" entry under Companies frames /app cross-origin;
// the app signs in through the bridge, shows the unsynced audit, ignores one subscription and restores it.
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { sandboxTenantKey, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('Companies › Pax8 → the app and its unsynced audit (Chromium)', () => {
  const sandbox = useSandbox('app-e2e-');

  async function openApp(): Promise<{ page: Page; app: FrameLocator }> {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=company`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Pax8', exact: true }).click();
    const app = page.frameLocator('iframe.cw-frame-tab >> nth=0');
    await expect
      .poll(() => app.locator('.app-head').textContent(), { timeout: 20_000 })
      .toContain('Signed in as');
    return { page, app };
  }

  const nonArrearsRows = (app: FrameLocator) =>
    app.locator('section[aria-labelledby="app-nonarrears"] tbody tr');

  it('opens the app from the menu entry, shows what was checked, ignores one and restores it', async () => {
    const { page, app } = await openApp();
    expect(
      new URL((await page.locator('iframe.cw-frame-tab').first().getAttribute('src')) ?? '').pathname,
    ).toBe('/app');
    // The board is the app's home (issue 11); the audit is one tab away.
    expect(await app.getByRole('tab', { name: 'Board' }).getAttribute('aria-selected')).toBe('true');
    await app.getByRole('tab', { name: 'Unsynced Subscriptions' }).click();
    await expect
      .poll(() => app.locator('.app-checked').textContent(), { timeout: 20_000 })
      .toMatch(/Checked at .* · Checked \d+ Pax8 subscriptions of \d+ companies/);
    expect(await app.getByRole('tab', { name: 'Unsynced Subscriptions' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    expect(await nonArrearsRows(app).count()).toBe(10);
    await page.screenshot({ path: screenshotPath('app-unsynced-1280'), fullPage: true });

    const first = nonArrearsRows(app).first();
    const product = (await first.locator('th').textContent())?.trim() ?? '';
    const heading = app.locator('#app-ignored');
    const ignoredBefore = await heading.textContent();
    expect(ignoredBefore).toBe('Ignored Subscriptions (0)');
    await first.getByRole('button', { name: /^Ignore / }).click();
    await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe('Ignored Subscriptions (1)');
    const ignoredRow = app.locator('section[aria-labelledby="app-ignored"] tbody tr').first();
    expect(await ignoredRow.locator('th').textContent()).toContain(product);
    expect(await app.locator('[role="status"][aria-live="polite"]').last().textContent()).toMatch(
      /^Ignored /,
    );
    await page.screenshot({ path: screenshotPath('app-ignored-1280'), fullPage: true });

    await ignoredRow.getByRole('button', { name: /^Restore / }).click();
    await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe('Ignored Subscriptions (0)');
    await page.close();
  });

  it('lists companies with likely matches, and opens a company in ConnectWise through the bridge', async () => {
    const { page, app } = await openApp();
    await app.getByRole('tab', { name: 'Companies' }).click();
    await expect.poll(() => app.locator('.app-companies-section').count(), { timeout: 20_000 }).toBe(1);
    const cedar = app.getByRole('row', { name: /Cedar & Pine Law Office/ });
    expect(await cedar.textContent()).toContain('Cedar and Pine Law Office');
    await page.screenshot({ path: screenshotPath('app-companies-1280'), fullPage: true });

    await app.getByRole('button', { name: 'Subscriptions of Ace Chemical Processing Plant' }).click();
    expect(
      await app.getByRole('tab', { name: 'Subscriptions', exact: true }).getAttribute('aria-selected'),
    ).toBe('true');
    await expect
      .poll(() => app.locator('.pv-count').first().textContent(), { timeout: 20_000 })
      .toMatch(/\d+ subscriptions/);
    await page.screenshot({ path: screenshotPath('app-subscriptions-1280'), fullPage: true });

    await app.getByRole('tab', { name: 'Companies' }).click();
    await app.getByRole('button', { name: 'Open Cedar & Pine Law Office in ConnectWise' }).click();
    await expect
      .poll(() => page.locator('.cw-crumbs').textContent(), { timeout: 10_000 })
      .toContain('Cedar & Pine Law Office');
    expect(new URL(page.url()).searchParams.get('screen')).toBe('company');
    await page.close();
  });

  it('Settings: shows the connection without secrets, saves the billing defaults, registers again', async () => {
    const { page, app } = await openApp();
    await app.getByRole('tab', { name: 'Settings' }).click();
    const fields = app.locator('.app-settings-fields');
    await expect.poll(() => fields.textContent(), { timeout: 20_000 }).toContain('Sandbox (this server)');
    expect(await fields.textContent()).toContain('Private keyset ✓');
    const threshold = app.getByLabel('Threshold prorate');
    expect(await threshold.isChecked()).toBe(true);
    await threshold.uncheck();
    await app.getByLabel('Create a new one').check();
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    const saved = app.locator('.app-settings-form:not(.app-schedule-form) [role="status"]');
    await expect
      .poll(() => saved.textContent(), { timeout: 10_000 })
      .toBe('Saved. Plans made from now on use these defaults.');
    await app.getByRole('button', { name: 'Register pods and tab in ConnectWise again' }).click();
    await expect
      .poll(() => app.locator('.app-settings-report tbody tr').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('app-settings-1280'), fullPage: true });

    // The saved defaults are what a fresh page reads back; then put them back for the other cases.
    await page.reload();
    const again = page.frameLocator('iframe.cw-frame-tab >> nth=0');
    await expect
      .poll(() => again.locator('.app-head').textContent(), { timeout: 20_000 })
      .toContain('Signed in as');
    await again.getByRole('tab', { name: 'Settings' }).click();
    await expect.poll(() => again.getByLabel('Create a new one').isChecked(), { timeout: 20_000 }).toBe(true);
    expect(await again.getByLabel('Threshold prorate').isChecked()).toBe(false);
    await again.getByLabel('Threshold prorate').check();
    await again.getByLabel('Update the existing addition').check();
    await again.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => again.locator('.app-settings-form:not(.app-schedule-form) [role="status"]').textContent(), {
        timeout: 10_000,
      })
      .toBe('Saved. Plans made from now on use these defaults.');
    await page.close();
  });

  it('says so when the app is opened outside ConnectWise', async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 600 } });
    await page.goto(`${sandbox.server.url}/app?t=${await sandboxTenantKey(sandbox.server.url)}`);
    await expect
      .poll(() => page.locator('.cw-notice').textContent(), { timeout: 20_000 })
      .toContain('This page runs inside ConnectWise Manage');
    await page.close();
  });
});
