// The bulk review in Chromium, inside the app under Companies › Pax8: a link names Ace Chemical's Office 365 E3
// on Ace Monthly; the review shows the guide's three lines (142.50), one is ignored, Confirm runs the job to the
// end of its progress bar, ConnectWise holds the two additions; Undo shows its review and removes them again.
// Screenshots at 1280 and 320 px.
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { cwAdditions, sandboxTenantKey, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

describe.skipIf(!hasChromium)('the bulk review in the app (Chromium)', () => {
  const sandbox = useSandbox('bulk-e2e-');

  /** Ace Monthly's id and its Office 365 E3 subscription, read through the API as the member. */
  async function aceE3(page: Page): Promise<{ agreementId: number; subscriptionId: string }> {
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement`);
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod.locator('.pv-summary h2').waitFor({ timeout: 30_000 });
    expect(await pod.locator('.pv-summary h2').textContent()).toBe('Ace Monthly');
    const agreementId = Number(new URL(page.url()).searchParams.get('id'));
    const session = await fetch(`${sandbox.server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        site: new URL(sandbox.server.url).host,
        companyid: demoCwCredentials.companyId,
        memberid: demoCwCredentials.member.id,
        memberHash: demoCwCredentials.member.hash,
        tenantKey: await sandboxTenantKey(sandbox.server.url),
      }),
    });
    expect(session.status).toBe(200);
    const { token } = (await session.json()) as { token: string };
    const view = await fetch(`${sandbox.server.url}/api/views/agreement/${agreementId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await view.json();
    expect(view.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    const rows = (body as { rows: { subscription: { id: string; productName: string } }[] }).rows;
    const e3 = rows.find((r) => r.subscription.productName.includes('Office 365 Enterprise E3'));
    if (!e3) throw new Error('no E3 row on Ace Monthly');
    return { agreementId, subscriptionId: e3.subscription.id };
  }

  async function openApp(page: Page, hash: string): Promise<FrameLocator> {
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=company`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Pax8', exact: true })
      .click();
    const frame = page.locator('iframe.cw-frame-tab').first();
    await expect.poll(() => frame.getAttribute('src'), { timeout: 20_000 }).toContain('/app');
    // The link: the same app page with the review named in its hash.
    await frame.evaluate((el, h) => {
      const f = el as HTMLIFrameElement;
      f.src = `${f.src.split('#')[0]}#${h}`;
    }, hash);
    return page.frameLocator('iframe.cw-frame-tab >> nth=0');
  }

  it('reviews, applies with a progress bar, and undoes the batch', async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const { agreementId, subscriptionId } = await aceE3(page);
    const e3 = async () =>
      (await cwAdditions(sandbox.server.url, agreementId)).filter((a) =>
        a.invoiceDescription?.startsWith('Pax8 - Microsoft Office 365 Enterprise E3'),
      );
    expect(await e3()).toEqual([]);
    const app = await openApp(page, `bulk-review=${subscriptionId}:${agreementId}`);
    const caption = app.locator('.bulk-review caption').first();
    await expect.poll(() => caption.textContent(), { timeout: 30_000 }).toContain('Ace Monthly');
    expect(await caption.textContent()).toContain('$142.50 (3 line(s))');
    await page.screenshot({ path: screenshotPath('bulk-review-1280'), fullPage: true });

    await app.getByRole('checkbox', { name: /^Ignore: .*prorated addition/ }).check();
    await expect.poll(() => caption.textContent()).toContain('$125.00 (2 line(s))');
    await app.getByRole('button', { name: 'Confirm', exact: true }).click();
    const bar = app.getByRole('progressbar', { name: 'Apply progress' });
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('1');
    expect(await app.locator('.bulk-review').textContent()).toContain('Written (addition');
    expect((await e3()).map((a) => [a.quantity, a.unitPrice])).toEqual([
      [2, 25],
      [1, 75],
    ]);
    await page.screenshot({ path: screenshotPath('bulk-done-1280'), fullPage: true });

    await app.getByRole('button', { name: 'Undo this batch…' }).click();
    await expect
      .poll(() => app.locator('.bulk-review').textContent(), { timeout: 20_000 })
      .toContain('What the undo writes (2 change(s))');
    await page.screenshot({ path: screenshotPath('bulk-undo-1280'), fullPage: true });
    await app.getByRole('button', { name: 'Confirm undo' }).click();
    const undoBar = app.getByRole('progressbar', { name: 'Undo progress' });
    await expect.poll(() => undoBar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('2');
    expect(await e3()).toEqual([]);

    // The app's frame 320 px wide (the sandbox host's own menu takes the rest).
    await page.setViewportSize({ width: 510, height: 900 });
    await openApp(page, `bulk-review=${subscriptionId}:${agreementId}`);
    await expect
      .poll(
        () =>
          page
            .frameLocator('iframe.cw-frame-tab >> nth=0')
            .locator('.bulk-review caption')
            .first()
            .textContent(),
        {
          timeout: 30_000,
        },
      )
      .toContain('Ace Monthly');
    const width = await page
      .locator('iframe.cw-frame-tab')
      .first()
      .evaluate((el) => el.clientWidth);
    expect(width).toBeLessThanOrEqual(330);
    await page.screenshot({ path: screenshotPath('bulk-review-320'), fullPage: true });
    await page.close();
  }, 120_000);
});
