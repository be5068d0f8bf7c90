// Issue 10 walked as a technician (h10-qa): Arcadia's annual Business Basic synced from the pod at 320 px, its
// review naming the term's Billing Period, then the sandbox clock moved and the ConnectWise invoices read: the
// year is billed once in December, 12 × $68.40 = $820.80, and not again in January (spec §5).
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { cwApi, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

async function shootFrame(frame: Locator, content: FrameLocator, name: string) {
  const height = await content.locator('body').evaluate((b) => b.scrollHeight);
  await frame.page().setViewportSize({ width: 1280, height: height + 600 });
  await frame.evaluate((el, h) => {
    (el as HTMLElement).style.height = `${h}px`;
  }, height);
  await frame.screenshot({ path: screenshotPath(name) });
}

type Invoice = {
  date: string;
  lines: { quantity: number; unitPrice: string; amount: string; description: string }[];
};

describe.skipIf(!hasChromium)('terms walk (Chromium)', () => {
  const sandbox = useSandbox('terms-walk-e2e-');
  let page: Page;

  beforeAll(async () => {
    page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  it("Arcadia's annual term: synced from the pod, invoiced once for the year on 12/01, not again on 01/01", async () => {
    const { apiBaseUrl, headers } = await cwApi(sandbox.server.url);
    const agreements: { id: number; name: string }[] = await (
      await fetch(`${apiBaseUrl}/finance/agreements?pageSize=1000`, { headers })
    ).json();
    const arcadia = agreements.find((a) => a.name === 'Arcadia Monthly');
    expect(arcadia).toBeDefined();
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement&id=${arcadia?.id}`);
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod.locator('.pv-summary h2').waitFor({ timeout: 30_000 });
    const annual = pod.locator('.pv-row').filter({ hasText: 'Annual · renews 06/20/2027' });
    expect(await annual.locator('.pv-row-main').first().textContent()).toContain(
      '$820.80 not billed (Annual term 06/20/2026-06/19/2027).',
    );
    await annual.getByRole('button', { name: /^Sync: / }).click();
    await expect
      .poll(() => pod.locator('#pv-term-price-note').textContent(), { timeout: 20_000 })
      .toBe('Price and cost are per seat for the whole Annual term, billed once per term, not per month.');
    await shootFrame(frame, pod, 'terms-walk-1-form-320');
    await pod.getByRole('button', { name: 'Continue' }).click();
    const review = pod.locator('.pv-review').first();
    await review.waitFor({ timeout: 20_000 });
    const period = review.locator('tr').filter({ hasText: 'Period:' });
    expect(await period.locator('th').textContent()).toBe('Billing Period:');
    expect(await period.locator('td').nth(1).textContent()).toBe('06/20/2026 - 06/19/2027');
    await shootFrame(frame, pod, 'terms-walk-2-review-320');
    await pod.getByRole('button', { name: /^Confirm Sync/ }).click();
    await pod.getByText('Synced to ConnectWise', { exact: true }).waitFor({ timeout: 20_000 });

    const move = async (today: string) => {
      const res = await fetch(`${sandbox.server.url}/sandbox/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ today }),
      });
      expect(res.status).toBe(200);
    };
    const termLines = async (date: string) => {
      const invoices: Invoice[] = await (
        await fetch(`${sandbox.server.url}/sandbox/cw/_invoices?agreementId=${arcadia?.id}`)
      ).json();
      return (invoices.find((i) => i.date === date)?.lines ?? [])
        .filter((l) => l.description.includes('Business Basic'))
        .map((l) => [l.quantity, l.unitPrice, l.amount, l.description]);
    };
    await move('2026-12-01');
    expect(await termLines('2026-12-01')).toEqual([
      [12, '68.40', '820.80', 'Pax8 - Microsoft 365 Business Basic - Annual term 06/20/2026-06/19/2027'],
    ]);
    await move('2027-01-01');
    expect(await termLines('2027-01-01')).toEqual([]);
  }, 120_000);
});
