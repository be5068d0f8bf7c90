// The sandbox keeps time and invoices like ConnectWise, seen as a person would: sync Ace Monthly's E3 seat
// change in the pod (2026-11-20, the guide's 9th-of-a-30-day-month figures), move the sandbox clock to next
// month from the keyboard, and read December's invoice on the host page.
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('sandbox clock and agreement invoices on the host page (Chromium)', () => {
  const sandbox = useSandbox('sandbox-clock-e2e-');

  it('moves the clock a month and shows the invoice with the synced E3 and its prorate', async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement`);
    await expect.poll(() => page.getByTestId('sandbox-today').textContent()).toBe('2026-11-20');
    const invoices = page.getByRole('region', { name: 'Invoices' });
    await invoices.getByText(/No invoice yet/).waitFor({ timeout: 20_000 });

    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod
      .getByRole('button', { name: /^Sync: Microsoft Office 365 Enterprise E3/ })
      .click({ timeout: 30_000 });
    await pod.getByRole('button', { name: 'Continue' }).click({ timeout: 20_000 });
    await pod.getByRole('button', { name: 'Confirm Sync (3)' }).click({ timeout: 20_000 });
    await pod.locator('.pv-written').waitFor({ timeout: 20_000 });

    // From the keyboard: focus "Next month" and press Enter.
    const nextMonth = page.getByRole('button', { name: 'Next month' });
    await nextMonth.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 20_000 })
      .toMatch(/^Sandbox date is now 2026-12-01: \d+ agreement invoices run\.$/);
    expect(await page.getByTestId('sandbox-today').textContent()).toBe('2026-12-01');
    // The record screen refreshed: the agreement's next invoice date moved on.
    await expect
      .poll(() => page.locator('.cw-record-fields dd').nth(8).textContent(), { timeout: 20_000 })
      .toBe('2027-01-01');

    const table = invoices.getByRole('table');
    await table.waitFor({ timeout: 20_000 });
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
      );
    expect(rows[0]?.slice(0, 2)).toEqual(['2026-12-01', '2026-12-01 – 2026-12-31']);
    const line = (pattern: RegExp) => rows.find((r) => r.some((c) => pattern.test(c)))?.slice(-3);
    expect(line(/^Pax8 - Microsoft Office 365 Enterprise E3(?!.*Prorated)/)).toEqual(['2', '25.00', '50.00']);
    expect(line(/^Pax8 - Microsoft Office 365 Enterprise E3.*Prorated for/)).toEqual(['1', '17.50', '17.50']);
    // E3's first seat (bought in March, never on Ace Monthly): the last 3 invoiced months back-billed (spec §7).
    expect(line(/^Pax8 - Microsoft Office 365 Enterprise E3.* - Sep 2026 to Nov 2026$/)).toEqual([
      '1',
      '75.00',
      '75.00',
    ]);
    const amounts = rows.slice(0, -1).map((r) => Math.round(Number(r.at(-1)) * 100));
    const total = rows.at(-1) ?? [];
    expect(total.slice(-2)).toEqual(['Total', (amounts.reduce((a, b) => a + b, 0) / 100).toFixed(2)]);
    await page.screenshot({ path: screenshotPath('sandbox-clock-invoice-1280'), fullPage: true });

    // A date in the past is refused in words; the clock stays.
    await page.getByLabel('Move to').fill('2026-11-25');
    await page.getByLabel('Move to').press('Enter');
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 20_000 })
      .toContain('only moves forward');
    expect(await page.getByTestId('sandbox-today').textContent()).toBe('2026-12-01');
    await page.close();
  });
});
