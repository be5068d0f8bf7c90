// The wizard's defects of issue 9 in Chromium, as a technician meets them in Ace Monthly's pod: a bad price is
// refused at the field and never planned; one real click on Continue right after an edit; an update's effective
// date is read-only; a hand edit in ConnectWise after planning offers "Plan again", which lets Confirm succeed.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { cwAdditions, cwApi, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();

async function shootFrame(frame: Locator, content: FrameLocator, name: string) {
  const height = await content.locator('body').evaluate((b) => b.scrollHeight);
  await frame.page().setViewportSize({ width: 1280, height: height + 600 });
  await frame.evaluate((el, h) => {
    (el as HTMLElement).style.height = `${h}px`;
  }, height);
  await frame.screenshot({ path: screenshotPath(name) });
}

describe.skipIf(!hasChromium)('pod sync wizard input and conflicts (Chromium)', () => {
  const sandbox = useSandbox('pod-wizard-e2e-');
  let page: Page;
  const plans: string[] = [];

  beforeAll(async () => {
    page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/sync/plan')) plans.push(r.postData() ?? '');
    });
  });

  it('refuses a bad price at the field, goes on with one click, keeps the date, and plans again after a hand edit', async () => {
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement`);
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod.locator('.pv-summary h2').waitFor({ timeout: 30_000 });
    const agreementId = Number(new URL(page.url()).searchParams.get('id'));

    // Dropsuite is billed by hand-made addition (16 seats for Pax8's 2): the wizard updates it. It is also
    // billed by hand on Ace Cloud Services, so the row reads double billed and its button is Review.
    await pod.getByRole('button', { name: /^Review: Dropsuite/ }).click();
    await pod.locator('.pv-step h4', { hasText: 'Configure addition' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => plans.length, { timeout: 20_000 }).toBe(1);
    const field = (caption: string) =>
      pod.locator('.pv-step > form label.pv-field', { hasText: caption }).first().locator('input');
    const continueButton = pod.getByRole('button', { name: 'Continue' });
    await expect.poll(() => continueButton.getAttribute('aria-disabled'), { timeout: 20_000 }).toBe('false');

    // An update keeps the addition's effective date: read-only, with the reason read out.
    const date = field('Effective date');
    expect(await date.evaluate((i: HTMLInputElement) => i.readOnly)).toBe(true);
    const noteId = (await date.getAttribute('aria-describedby')) ?? '';
    expect(await pod.locator(`[id="${noteId}"]`).textContent()).toMatch(
      /^An update keeps the addition's effective date \(\d{2}\/\d{2}\/\d{4}\)\./,
    );

    // A price with three decimals: the field says why, Continue does nothing, nothing is planned.
    const price = field('Price');
    await price.fill('5.999');
    await price.press('Tab');
    await pod.locator('.pv-field-error').first().waitFor();
    expect(await price.getAttribute('aria-invalid')).toBe('true');
    expect(await price.evaluate((i) => i.getAttribute('aria-describedby'))).toMatch(/^pv-err-/);
    expect(await pod.locator('.pv-field-error').textContent()).toBe(
      'Price has at most 2 decimals (cents), e.g. 12.50.',
    );
    await continueButton.click({ force: true });
    await page.waitForTimeout(300);
    expect(await pod.locator('.pv-step h4').first().textContent()).toBe('Configure addition');
    expect(plans).toHaveLength(1);
    await shootFrame(frame, pod, 'pod-wizard-1-bad-price-320');

    // Fixed, and straight to Continue: the press blurs the field (re-plan) and the one click still goes on.
    // force: a real click does not wait for aria-disabled to clear, the field's change clears it.
    await price.fill('4.50');
    await continueButton.click({ force: true });
    await pod.locator('.pv-step h4', { hasText: 'Review' }).waitFor({ timeout: 20_000 });
    expect(JSON.parse(plans.at(-1) ?? '{}').options).toMatchObject({ unitPrice: '4.50' });
    const unitPrice = pod.locator('.pv-review').first().locator('tr', { hasText: 'Unit Price:' });
    expect(await unitPrice.locator('td').last().textContent()).toBe('$4.50');

    // Someone edits the addition in ConnectWise meanwhile: Confirm is refused naming the field.
    const { apiBaseUrl, headers } = await cwApi(sandbox.server.url);
    const dropsuite = (await cwAdditions(sandbox.server.url, agreementId)).find(
      (a) => a.quantity === 16 && !a.cancelledDate,
    );
    if (!dropsuite) throw new Error('no Dropsuite addition');
    const edit = await fetch(`${apiBaseUrl}/finance/agreements/${agreementId}/additions/${dropsuite.id}`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify([{ op: 'replace', path: 'quantity', value: 17 }]),
    });
    expect(edit.status).toBe(200);
    await pod.getByRole('button', { name: /^Confirm Sync/ }).click();
    const conflict = pod.locator('.pv-step .cw-notice.error');
    await conflict.waitFor({ timeout: 20_000 });
    expect(await conflict.textContent()).toContain('(quantity)');
    expect(await pod.getByRole('button', { name: /^Confirm Sync/ }).getAttribute('aria-disabled')).toBe(
      'true',
    );
    await shootFrame(frame, pod, 'pod-wizard-2-conflict-320');

    // Plan again: a fresh plan from what ConnectWise holds now, and Confirm writes it.
    await pod.getByRole('button', { name: 'Plan again' }).click();
    await expect.poll(() => plans.length, { timeout: 20_000 }).toBe(3);
    await expect
      .poll(() => pod.getByRole('button', { name: /^Confirm Sync/ }).getAttribute('aria-disabled'), {
        timeout: 20_000,
      })
      .toBe('false');
    await pod.getByRole('button', { name: /^Confirm Sync/ }).click();
    await pod.locator('.pv-wizard .cw-notice.ok').waitFor({ timeout: 20_000 });
    const after = (await cwAdditions(sandbox.server.url, agreementId)).find((a) => a.id === dropsuite.id);
    expect([after?.quantity, after?.unitPrice]).toEqual([2, 4.5]);
    await shootFrame(frame, pod, 'pod-wizard-3-done-320');
  });
});
