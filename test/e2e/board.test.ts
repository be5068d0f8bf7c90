// The reconciliation board in a real browser: Companies › Pax8 opens on the board, which computes in the
// background and then shows the demo's out-of-step money at the top; "Select everything out of step" fills
// "Review selected (N)". Screenshot at full width (test-results/board-1280.png).
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('Companies › Pax8 → the reconciliation board (Chromium)', () => {
  const sandbox = useSandbox('board-e2e-');

  it('opens on the board with the money out of step, and selects everything out of step', async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=company`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Pax8', exact: true })
      .click();
    const app = page.frameLocator('iframe.cw-frame-tab >> nth=0');
    await expect
      .poll(() => app.locator('.board-totals strong').textContent(), { timeout: 30_000 })
      .toMatch(/^\$[\d,]+\.\d\d a month not billed, \$[\d,]+\.\d\d billed twice/);
    // Once computed, the demo's annual and 3-year terms owed are said apart, not as money a month.
    await expect
      .poll(() => app.locator('.board-totals strong').textContent(), { timeout: 30_000 })
      .toMatch(/; \$[\d,]+\.\d\d of up-front charges not billed$/);
    expect(await app.getByRole('tab', { name: 'Board' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => app.locator('.app-checked p').textContent(), { timeout: 30_000 })
      .toMatch(/^Computed \d\d\/\d\d\/\d{4} \d\d:\d\d UTC\. Checked \d+ Pax8 subscriptions of \d+ companies/);
    const rows = app.locator('table.board-table tbody tr');
    expect(await rows.count()).toBeGreaterThan(10);
    // Sorted by money: the first row is out of step (its difference is not 0.00).
    expect(await rows.first().locator('td.num').nth(3).textContent()).not.toBe('$0.00');
    await page.screenshot({ path: screenshotPath('board-1280'), fullPage: true });

    await app.getByRole('button', { name: 'Select everything out of step' }).click();
    await expect
      .poll(() => app.getByRole('button', { name: /^Review selected \(\d+\)$/ }).textContent(), {
        timeout: 10_000,
      })
      .not.toBe('Review selected (0)');
    // The demo's rows whose product is not bound are left out of the selection, and the board says so.
    expect(await app.locator('.board-left-out').textContent()).toMatch(
      /^\d+ left out, the bulk review cannot sync them: \d+ whose product is not bound \(bind them first\)\.$/,
    );
    await app.locator('.board-actions').screenshot({ path: screenshotPath('board-selected-actions-1280') });
    const first = app.getByRole('checkbox', { name: /^Select / }).nth(1);
    expect(await first.isChecked()).toBe(true);

    // Keyboard: the status filter is a labelled select; choosing "Synced" narrows the table.
    await app.getByLabel('Status').selectOption('synced');
    await expect
      .poll(() => app.locator('.app-filters .app-muted').textContent())
      .toMatch(/^\d+ of \d+ shown/);
    await page.screenshot({ path: screenshotPath('board-selected-1280'), fullPage: true });
    await page.close();
  });
});
