// Terms in Chromium (spec §5, issue 10 item 1): Gibson's pod speaks each term with its renewal and window, the
// 3-year E3 syncs its term line and co-termed prorate through the review, and the row then reads synced.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { cwAdditions, cwApi, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

async function shootFrame(frame: Locator, content: FrameLocator, name: string, width: number) {
  const height = await content.locator('body').evaluate((b) => b.scrollHeight);
  await frame.page().setViewportSize({ width, height: height + 600 });
  await frame.evaluate((el, h) => {
    (el as HTMLElement).style.height = `${h}px`;
  }, height);
  await frame.screenshot({ path: screenshotPath(name) });
}

describe.skipIf(!hasChromium)('pod terms (Chromium)', () => {
  const sandbox = useSandbox('pod-terms-e2e-');
  let page: Page;

  beforeAll(async () => {
    page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  it("Gibson's 3-year E3: the row speaks its term, the sync writes the term line and the prorate, then synced", async () => {
    const { apiBaseUrl, headers } = await cwApi(sandbox.server.url);
    const agreements: { id: number; name: string }[] = await (
      await fetch(`${apiBaseUrl}/finance/agreements?pageSize=1000`, { headers })
    ).json();
    const gibson = agreements.find((a) => a.name === 'Gibson Monthly');
    expect(gibson).toBeDefined();
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement&id=${gibson?.id}`);
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod.locator('.pv-summary h2').waitFor({ timeout: 30_000 });
    const threeYear = pod.locator('.pv-row').filter({ hasText: '3-Year · renews' });
    // The sandbox date is 11/20/2026: the 3-year term began 14 months before, on 09/20/2025.
    expect(await threeYear.locator('.pv-row-main .pv-muted').first().textContent()).toBe(
      '3-Year · renews 09/20/2028 · decrease window closed 09/27/2025 12:00 · Pax8 5',
    );
    await shootFrame(frame, pod, 'pod-terms-1-rows-320', 1280);

    await threeYear.getByRole('button', { name: /^Sync: / }).click();
    await pod.getByRole('button', { name: 'Continue' }).click();
    const titles = pod.locator('h5').filter({ hasText: 'Creating new ConnectWise addition' });
    await titles.first().waitFor({ timeout: 20_000 });
    await shootFrame(frame, pod, 'pod-terms-2-review-320', 1280);
    // The review and the result after Confirm call the term's line by one word: a period addition.
    expect((await titles.allTextContents()).map((t) => t.replace(/ for .*$/, '')).sort()).toEqual([
      'Creating new ConnectWise addition: period addition',
      'Creating new ConnectWise addition: prorated addition',
    ]);
    await pod.getByRole('button', { name: /^Confirm Sync/ }).click();
    await pod.locator('.pv-written').waitFor({ timeout: 20_000 });
    expect(
      (await pod.locator('.pv-written li').allTextContents()).map((t) => t.replace(/#\d+/, '#id')).sort(),
    ).toEqual(['Created period addition #id', 'Created prorated addition #id']);
    await expect
      .poll(
        async () =>
          (await cwAdditions(sandbox.server.url, gibson?.id ?? 0))
            .filter((a) => / - (3-Year term|Prorated for) /.test(a.invoiceDescription ?? ''))
            .map((a) => [a.quantity, a.unitPrice, a.invoiceDescription])
            .sort(),
        { timeout: 20_000 },
      )
      .toEqual([
        [
          2,
          505.84,
          'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - Prorated for 10/21/2026-09/19/2028',
        ],
        [3, 792, 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - 3-Year term 09/20/2025-09/19/2028'],
      ]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement&id=${gibson?.id}`);
    await pod.locator('.pv-summary h2').waitFor({ timeout: 30_000 });
    const synced = pod.locator('.pv-row').filter({ hasText: '3-Year · renews' });
    await expect
      .poll(() => synced.locator('.cw-badge').first().textContent(), { timeout: 20_000 })
      .toBe('✓ Synced');
    await shootFrame(frame, pod, 'pod-terms-3-synced-320', 1280);
  }, 120_000);
});
