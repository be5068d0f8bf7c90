// Seat changes from inside ConnectWise (issue 10 item 3) in Chromium on the sandbox host page, 2026-11-20:
// a seat added to Ace's Office 365 E3 from the pod, then its sync (the review shows the new seat's prorate), and
// a decrease of Gibson's annual E3 refused outside its NCE window with the window's dates. Screenshots at 320 px
// (the pod) and full width (the Pax8 tab) in test-results/.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { type Addition, cwAdditions, cwApi, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();
const E3 = 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite';

/** Grows the frame to its content so the screenshot shows the whole pod at its width. */
async function shootFrame(frame: Locator, content: FrameLocator, name: string) {
  const height = await content.locator('body').evaluate((b) => b.scrollHeight);
  await frame.page().setViewportSize({ width: 1280, height: height + 600 });
  await frame.evaluate((el, h) => {
    (el as HTMLElement).style.height = `${h}px`;
  }, height);
  await frame.screenshot({ path: screenshotPath(name) });
}

/** The Monthly agreement of a demo customer, by its CW identifier, read over the emulator's REST API. */
async function monthlyAgreementOf(serverUrl: string, identifier: string): Promise<number> {
  const { apiBaseUrl, headers } = await cwApi(serverUrl);
  const rows: { id: number; name: string; company?: { identifier?: string } }[] = await (
    await fetch(`${apiBaseUrl}/finance/agreements?pageSize=1000`, { headers })
  ).json();
  const found = rows.find((a) => a.company?.identifier === identifier && a.name.endsWith('Monthly'));
  if (!found) throw new Error(`No Monthly agreement for ${identifier}`);
  return found.id;
}

/** A subscription's history snapshots as the emulated Pax8 serves them (its own API, the sandbox's keys). */
async function pax8History(serverUrl: string, subscriptionId: string): Promise<{ quantity: number }[]> {
  const creds = (await (await fetch(`${serverUrl}/sandbox/credentials`)).json()).pax8;
  const token = await fetch(`${creds.apiBaseUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      audience: 'https://api.pax8.com',
      grant_type: 'client_credentials',
    }),
  });
  const { access_token } = await token.json();
  const res = await fetch(`${creds.apiBaseUrl}/subscriptions/${subscriptionId}/history`, {
    headers: { authorization: `Bearer ${access_token}` },
  });
  return (await res.json()).content;
}

const prorateLines = (rows: Addition[]) =>
  rows
    .filter((a) => a.invoiceDescription?.includes('Prorated for'))
    .map((a) => [a.quantity, a.unitPrice, a.unitCost])
    .sort((x, y) => Number(x[1]) - Number(y[1]));

describe.skipIf(!hasChromium)('seat changes from the pod (Chromium)', () => {
  const sandbox = useSandbox('seat-change-e2e-');
  let page: Page;

  beforeAll(async () => {
    page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  it('adds a seat to Office 365 E3 from the pod, then syncs it: the review shows the new seat prorated', async () => {
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement`);
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod.locator('.pv-summary h2').waitFor({ timeout: 30_000 });
    expect(await pod.locator('.pv-summary h2').textContent()).toBe('Ace Monthly');
    const agreementId = Number(new URL(page.url()).searchParams.get('id'));
    await shootFrame(frame, pod, 'seat-change-1-rows-320');

    const e3Id = await pod.locator('.pv-row', { hasText: E3 }).first().getAttribute('data-subscription');
    await pod.getByRole('button', { name: `Modify quantity: ${E3}` }).click();
    const quantity = pod.getByLabel('Quantity', { exact: true });
    await expect.poll(() => quantity.inputValue()).toBe('2');
    await quantity.fill('3');
    await pod.getByLabel('I accept the terms and conditions').check();
    await shootFrame(frame, pod, 'seat-change-2-form-320');
    // A double click: one change in Pax8 (one idempotency key), then the wizard for Ace Monthly.
    await pod.getByRole('button', { name: 'Update quantity' }).dblclick();
    await pod.locator('.pv-prorates tbody tr').nth(1).waitFor({ timeout: 30_000 });
    expect(await pod.locator('.cw-notice.ok').first().textContent()).toBe(
      `Subscription updated${E3}: 2 → 3 seats in Pax8. Now update the agreement: review the sync below and confirm.`,
    );
    // One change in Pax8 for the double click: one snapshot with 3 seats.
    const snapshots = await pax8History(sandbox.server.url, e3Id ?? '');
    expect(snapshots.map((x) => x.quantity)).toEqual([1, 2, 3]);
    // The seat of 11/09 (21 of 30 days: 14.00 cost, 17.50 price) and today's (10 of 30 days: 6.67, 8.33).
    const row = async (n: number) =>
      (await pod.locator('.pv-prorates tbody tr').nth(n).locator('td').allTextContents()).slice(3, 12);
    expect(await row(0)).toEqual([
      '12/01/2026',
      '11/09/2026 - 11/30/2026',
      '1.00 *',
      '2.00',
      '14.00',
      '20.00',
      '17.50',
      '25.00',
      '$17.50',
    ]);
    expect(await row(1)).toEqual([
      '12/01/2026',
      '11/20/2026 - 11/30/2026',
      '1.00 *',
      '3.00',
      '6.67',
      '20.00',
      '8.33',
      '25.00',
      '$8.33',
    ]);
    await shootFrame(frame, pod, 'seat-change-3-wizard-320');

    await pod.getByRole('button', { name: 'Continue' }).click();
    await pod.locator('.pv-review').first().waitFor();
    const review = (await pod.locator('.pv-review').allTextContents()).join(' ');
    expect(review).toContain('Prorated for 11/20/2026-11/30/2026');
    expect(review).toContain('$8.33');
    await shootFrame(frame, pod, 'seat-change-4-review-320');
    await pod.getByRole('button', { name: /^Confirm Sync/ }).click();
    await pod.locator('.pv-written').waitFor({ timeout: 30_000 });
    expect(prorateLines(await cwAdditions(sandbox.server.url, agreementId))).toEqual([
      [1, 8.33, 6.67],
      [1, 17.5, 14],
    ]);
    await shootFrame(frame, pod, 'seat-change-5-synced-320');
  });

  it("refuses a decrease of Gibson's annual E3 outside its 7-day window, saying when it closed", async () => {
    const gibson = await monthlyAgreementOf(sandbox.server.url, 'GibsonPottYork');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement&id=${gibson}`);
    const refusal =
      `${E3} is on a commitment term: it can have seats removed only in the 7 days after its purchase or renewal. ` +
      'That window closed 07/27/2026 12:00 UTC (the term began 07/20/2026); the next one opens at the renewal on 07/20/2027.';

    // The pod at 320 px.
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    // Gibson has two E3 subscriptions: the annual one (15 seats) and a 3-year one (5 seats).
    const annualRow = (root: FrameLocator) =>
      root.locator('.pv-row', { hasText: E3 }).filter({ hasText: /Pax8 15\b/ });
    await annualRow(pod)
      .getByRole('button', { name: `Modify quantity: ${E3}` })
      .click({ timeout: 30_000 });
    await pod.getByLabel('Quantity', { exact: true }).fill('14');
    // Warned before anything is sent: the term as the rows speak it, and the window's close.
    await expect
      .poll(() => pod.locator('.pv-seat .pv-muted').first().textContent(), { timeout: 20_000 })
      .toBe('Annual · renews 07/20/2027 · decrease window closed 07/27/2026 12:00 · 15 seats now');
    expect(await pod.locator('.pv-seat .cw-notice.warn').textContent()).toBe(
      'Removing seats is not possible now: the 7-day window after the purchase or renewal closed 07/27/2026 12:00 UTC; the next one opens at the renewal on 07/20/2027.',
    );
    // Update stays enabled, the warning its described reason: the click below shows Pax8's refusal (README).
    const update = pod.getByRole('button', { name: 'Update quantity' });
    expect(await update.isEnabled()).toBe(true);
    const reason = await update.getAttribute('aria-describedby');
    expect(await pod.locator(`#${reason}`).textContent()).toBe(
      await pod.locator('.pv-seat .cw-notice.warn').textContent(),
    );
    await pod.getByLabel('I accept the terms and conditions').check();
    await update.click();
    await expect.poll(() => pod.getByRole('alert').textContent(), { timeout: 20_000 }).toBe(refusal);
    await shootFrame(frame, pod, 'seat-change-6-refused-320');

    // The same refusal in the Pax8 tab at full width; Pax8 still has 15 seats.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('tab', { name: /^Pax8/ }).first().click();
    const tabFrame = page.locator('iframe.cw-frame-tab').first();
    const tab = page.frameLocator('iframe.cw-frame-tab');
    await annualRow(tab)
      .getByRole('button', { name: `Modify quantity: ${E3}` })
      .click({ timeout: 30_000 });
    await tab.getByLabel('Quantity', { exact: true }).fill('14');
    await tab.getByLabel('I accept the terms and conditions').check();
    await tab.getByRole('button', { name: 'Update quantity' }).click();
    await expect.poll(() => tab.getByRole('alert').textContent(), { timeout: 20_000 }).toBe(refusal);
    await shootFrame(tabFrame, tab, 'seat-change-7-refused-tab-1280');
    await tab.getByRole('button', { name: 'Back' }).click();
    await expect
      .poll(() => annualRow(tab).locator('.pv-muted').first().textContent(), {
        timeout: 20_000,
      })
      .toContain('Pax8 15');
  });
});
