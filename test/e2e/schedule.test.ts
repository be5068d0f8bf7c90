// Scheduled sync with approvals in Chromium (issue 11 "Done when"): Ace's E3 is synced from the pod, Pax8 then
// has 3 seats; the schedule is saved on the app's Settings (daily 06:00 UTC, recurring updates below 3 seats);
// "+1 day" on the sandbox host page makes the run due: the to-do list appears on the board (and on Unsynced Subscriptions) with
// the lines that wait, and ConnectWise has only E3's recurring addition moved 2 → 3 seats.
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  demoCustomers,
  demoProducts,
  pax8CompanyIdOf,
  pax8ProductIdOf,
} from '../../server/sandbox/demo/msp.ts';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { type Addition, agreementIdNamed, cwAdditions, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

async function pax8Call(serverUrl: string, method: string, path: string, body?: unknown) {
  const creds = (await (await fetch(`${serverUrl}/sandbox/credentials`)).json()).pax8;
  const token = await (
    await fetch(`${creds.apiBaseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
        audience: 'https://api.pax8.com',
        grant_type: 'client_credentials',
      }),
    })
  ).json();
  const res = await fetch(`${creds.apiBaseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBe(200);
  return res.json();
}

const e3Of = (rows: Addition[]) =>
  rows
    .filter((a) => a.invoiceDescription?.startsWith('Pax8 - Microsoft Office 365 Enterprise E3'))
    .map((a) => ({ id: a.id, quantity: a.quantity, unitPrice: a.unitPrice, ends: a.cancelledDate ?? '' }))
    .sort((x, y) => x.id - y.id);

describe.skipIf(!hasChromium)('a scheduled run, the clock moved in the sandbox (Chromium)', () => {
  const sandbox = useSandbox('schedule-e2e-');

  async function openApp(page: Page): Promise<FrameLocator> {
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=company`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Pax8', exact: true })
      .click();
    const app = page.frameLocator('iframe.cw-frame-tab >> nth=0');
    await expect
      .poll(() => app.locator('.app-head').textContent(), { timeout: 20_000 })
      .toContain('Signed in as');
    return app;
  }

  it('files a to-do list and auto-applies only what the rule allows', async () => {
    const url = sandbox.server.url;
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // Ace's E3 synced from the agreement's pod: recurring 2 seats, its prorate and back-bill.
    await page.goto(`${url}/sandbox/host?screen=agreement`);
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod
      .getByRole('button', { name: /^Sync: Microsoft Office 365 Enterprise E3/ })
      .click({ timeout: 30_000 });
    await pod.getByRole('button', { name: 'Continue' }).click({ timeout: 20_000 });
    await pod.getByRole('button', { name: 'Confirm Sync (3)' }).click({ timeout: 20_000 });
    await pod.locator('.pv-written').waitFor({ timeout: 20_000 });
    const agreementId = await agreementIdNamed(url, 'Ace Monthly');
    const synced = e3Of(await cwAdditions(url, agreementId));
    expect(synced.filter((a) => a.ends === '').map((a) => a.quantity)).toEqual([2]);

    // Pax8 now has 3 seats (a customer's order through the emulated Pax8 API).
    const ace = demoCustomers.find((c) => c.identifier === 'AceChemical')!;
    const e3Product = pax8ProductIdOf(demoProducts.find((p) => p.key === 'o365e3')!);
    const subs = await pax8Call(url, 'GET', `/subscriptions?companyId=${pax8CompanyIdOf(ace)}&size=200`);
    const e3 = (subs.content as { id: string; productId: string }[]).find((s) => s.productId === e3Product)!;
    await pax8Call(url, 'PUT', `/subscriptions/${e3.id}`, { quantity: 3 });

    // The schedule, saved on the app's Settings tab.
    const app = await openApp(page);
    await app.getByRole('tab', { name: 'Settings' }).click();
    await app.getByLabel('Run a scheduled sync every day').check({ timeout: 20_000 });
    await app.getByLabel('Time of day').fill('06:00');
    await app.getByLabel('Time zone').fill('UTC');
    await app.getByLabel('Recurring quantity updates below').fill('3');
    await app.getByRole('button', { name: 'Save schedule' }).click();
    await expect
      .poll(() => app.locator('.app-schedule-form [role="status"]').textContent(), { timeout: 10_000 })
      .toBe('Saved. The scheduled sync is on.');
    await expect
      .poll(() => app.locator('.app-schedule-form').textContent())
      .toContain('Next run: 11/21/2026 06:00 UTC');
    await page.screenshot({ path: screenshotPath('schedule-settings-1280'), fullPage: true });

    // "+1 day" on the host page: 2026-11-21 12:00, past the 06:00 run, which is now due.
    await page.getByRole('button', { name: '+1 day' }).click();
    await expect
      .poll(() => page.getByTestId('sandbox-today').textContent(), { timeout: 20_000 })
      .toBe('2026-11-21');
    const heading = app.locator('#schedule-todo-head');
    await expect
      .poll(
        async () => {
          // Filed on the board, the app's home (issue 11: "a to-do list on the board").
          await app.getByRole('tab', { name: 'Companies' }).click();
          await app.getByRole('tab', { name: 'Board' }).click();
          await page.waitForTimeout(500);
          return (await heading.count()) > 0 ? await heading.textContent() : '';
        },
        { timeout: 90_000, interval: 1_000 },
      )
      .toMatch(/^Scheduled sync: to-do \(\d+\)$/);
    const runs = app.locator('.app-schedule-runs li').first();
    await expect
      .poll(() => runs.textContent(), { timeout: 30_000 })
      .toMatch(/1 auto-applied \(\$75\.00\) — 1 of 1 written/);

    // ConnectWise: only E3's recurring addition moved, 2 → 3 seats at 25.00; nothing else of E3 was written.
    const after = e3Of(await cwAdditions(url, agreementId));
    expect(after.map((a) => a.id)).toEqual(synced.map((a) => a.id));
    expect(after.filter((a) => a.ends === '')).toEqual([
      { ...synced.find((a) => a.ends === '')!, quantity: 3 },
    ]);
    // Its prorate waits for a person, with its reason, on the to-do list.
    const todoRows = app.locator('.app-schedule-table tbody tr');
    const texts = await todoRows.evaluateAll((trs) =>
      trs.map((tr) => (tr.textContent ?? '').replace(/\s+/g, ' ')),
    );
    expect(
      texts.some((t) => t.includes('Enterprise E3') && t.includes('no rule auto-applies prorates')),
    ).toBe(true);
    await page.screenshot({ path: screenshotPath('schedule-todo-1280'), fullPage: true });
    await page.setViewportSize({ width: 320, height: 900 });
    await page.screenshot({ path: screenshotPath('schedule-todo-320'), fullPage: true });
    await page.close();
  }, 240_000);
});
