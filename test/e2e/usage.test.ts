// Azure usage billed in arrears, seen as a person would (issue 10 item 2): on 2026-11-20 Ace Monthly's pod
// shows Azure's closed months (August to October, on Pax8's invoices) not billed and November not closed yet;
// the wizard writes one line per closed month; moving the sandbox clock to December shows them on the invoice.
import type { FrameLocator, Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

/** Grows the frame to its content so the screenshot shows the whole pod at its width. */
async function shootFrame(frame: Locator, content: FrameLocator, name: string) {
  const height = await content.locator('body').evaluate((b) => b.scrollHeight);
  await frame.page().setViewportSize({ width: 1280, height: height + 600 });
  await frame.evaluate((el, h) => {
    (el as HTMLElement).style.height = `${h}px`;
  }, height);
  await frame.screenshot({ path: screenshotPath(name) });
}

describe.skipIf(!hasChromium)('Azure usage in arrears (Chromium)', () => {
  const sandbox = useSandbox('usage-e2e-');

  it("lists Azure in the app's Arrears Subscriptions with its months not billed; Sync opens the company", async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=company`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Pax8', exact: true })
      .click();
    const app = page.frameLocator('iframe.cw-frame-tab >> nth=0');
    // The board is the app's home (issue 11); the audit and its Arrears list are one tab away.
    await app.getByRole('tab', { name: 'Unsynced Subscriptions' }).click({ timeout: 30_000 });
    const arrears = app.locator('section[aria-labelledby="app-arrears"] tbody tr', {
      hasText: 'Microsoft Azure Plan',
    });
    await arrears.first().waitFor({ timeout: 30_000 });
    expect(await arrears.locator('.app-money').textContent()).toBe(
      'Usage for August 2026 ($304.55), September 2026 ($295.50), October 2026 ($304.55) not billed: $904.60. November 2026: usage not closed yet.',
    );
    await app.locator('#app-arrears').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('usage-0-audit-1280'), fullPage: true });
    await arrears.getByRole('button', { name: /^Sync Microsoft Azure Plan/ }).click();
    const row = app.locator('.pv-row', { hasText: 'Microsoft Azure Plan' });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('.cw-badge').textContent()).toContain('Usage not billed');
    await page.close();
  });

  it('syncs the closed months from the pod, once, and the December invoice holds them', async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement`);
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    const row = pod.locator('.pv-row', { hasText: 'Microsoft Azure Plan' });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('.cw-badge').textContent()).toContain('Usage not billed');
    expect(await row.locator('.pv-row-note').allTextContents()).toEqual([
      'Usage for August 2026: not billed ($304.55)',
      'Usage for September 2026: not billed ($295.50)',
      'Usage for October 2026: not billed ($304.55)',
      'Usage for November 2026: usage not closed yet',
    ]);
    await shootFrame(frame, pod, 'usage-1-view-320');

    await pod.getByRole('button', { name: /^Sync: Microsoft Azure Plan/ }).click();
    // AGREEMENT: no seats, no recurring line; the closed months with Pax8's figures, November not closed yet.
    await pod.locator('.pv-step h4', { hasText: 'Bill usage in arrears' }).waitFor({ timeout: 20_000 });
    const months = pod.getByRole('list', { name: 'Usage months to bill' }).locator('li');
    await months.first().waitFor({ timeout: 20_000 });
    expect(await months.allTextContents()).toEqual([
      'Pax8 - Microsoft Azure Plan - Usage for August 2026 · cost $259.10 · price $304.55 · 12/01/2026 – 12/31/2026',
      'Pax8 - Microsoft Azure Plan - Usage for September 2026 · cost $251.40 · price $295.50 · 12/01/2026 – 12/31/2026',
      'Pax8 - Microsoft Azure Plan - Usage for October 2026 · cost $259.10 · price $304.55 · 12/01/2026 – 12/31/2026',
    ]);
    expect(await pod.getByLabel('Quantity').count()).toBe(0);
    expect(await pod.locator('.pv-step .cw-notice').allTextContents()).toContain(
      'Usage for November 2026: usage not closed yet. Pax8 invoices it around 12/05/2026; it is billed after that.',
    );
    await shootFrame(frame, pod, 'usage-2-months-320');
    await pod.getByRole('button', { name: 'Continue' }).click({ timeout: 20_000 });
    await pod.locator('.pv-review').first().waitFor({ timeout: 20_000 });
    expect(await pod.locator('.pv-review h5').allTextContents()).toEqual([
      'Creating new ConnectWise addition: usage for August 2026',
      'Creating new ConnectWise addition: usage for September 2026',
      'Creating new ConnectWise addition: usage for October 2026',
    ]);
    const period = pod.locator('.pv-review').first().locator('tr', { hasText: 'Usage Period:' });
    expect(await period.locator('td').allTextContents()).toEqual(['', '08/01/2026 - 08/31/2026']);
    await shootFrame(frame, pod, 'usage-3-review-320');
    await pod.getByRole('button', { name: 'Confirm Sync (3)' }).dblclick();
    await pod.locator('.pv-written').waitFor({ timeout: 20_000 });
    expect(
      (await pod.locator('.pv-written li').allTextContents()).map((w) => w.replace(/#\d+/, '#id')),
    ).toEqual(['Created usage addition #id', 'Created usage addition #id', 'Created usage addition #id']);
    await pod.getByRole('button', { name: /^Back to list/ }).click();
    await expect.poll(() => row.locator('.cw-badge').textContent(), { timeout: 20_000 }).toContain('Synced');
    await shootFrame(frame, pod, 'usage-4-synced-320');

    // December 1st: ConnectWise invoices Ace Monthly, with one line per closed usage month.
    const nextMonth = page.getByRole('button', { name: 'Next month' });
    await nextMonth.click();
    await expect
      .poll(() => page.getByTestId('sandbox-today').textContent(), { timeout: 20_000 })
      .toBe('2026-12-01');
    const agreementId = Number(new URL(page.url()).searchParams.get('id'));
    const invoices = (await (
      await fetch(`${sandbox.server.url}/sandbox/cw/_invoices?agreementId=${agreementId}`)
    ).json()) as {
      periodStart: string;
      lines: { description: string; quantity: number; unitPrice: string }[];
    }[];
    const usage = invoices
      .filter((i) => i.periodStart === '2026-12-01')
      .flatMap((i) => i.lines)
      .filter((l) => l.description.includes('Usage for'))
      .map((l) => [l.description, l.quantity, l.unitPrice]);
    expect(usage).toEqual([
      ['Pax8 - Microsoft Azure Plan - Usage for August 2026', 1, '304.55'],
      ['Pax8 - Microsoft Azure Plan - Usage for September 2026', 1, '295.50'],
      ['Pax8 - Microsoft Azure Plan - Usage for October 2026', 1, '304.55'],
    ]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('region', { name: 'Invoices' }).getByRole('table').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath('usage-5-invoice-1280'), fullPage: true });
  });
});
