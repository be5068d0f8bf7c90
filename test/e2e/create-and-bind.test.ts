// Create and Bind in Chromium (issue 10 item 4, guide "Import Company"): Quarry Street Cafe has no Pax8
// company; from its company pod the form opens filled in from ConnectWise, a bad zip is refused in place, and
// Create and Bind makes one Pax8 company carrying the ConnectWise id and binds it.
import type { FrameLocator, Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoCustomers } from '../../server/sandbox/demo/msp.ts';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();
const quarry = demoCustomers.find((c) => c.identifier === 'QuarryCafe')!;

/** Sizes the pod frame to `width` and its content's height, then shoots it. */
async function shootFrame(frame: Locator, content: FrameLocator, width: number, name: string) {
  await frame.evaluate((el, w) => {
    (el as HTMLElement).style.width = `${w}px`;
  }, width);
  const height = await content.locator('body').evaluate((b) => b.scrollHeight);
  await frame.page().setViewportSize({ width: Math.max(1280, width + 400), height: height + 600 });
  await frame.evaluate((el, h) => {
    (el as HTMLElement).style.height = `${h}px`;
  }, height);
  await frame.screenshot({ path: screenshotPath(name) });
}

/** The Pax8 companies whose externalId is the ConnectWise company id, read over the emulated Pax8 API. */
async function pax8CompaniesOf(serverUrl: string, cwId: number): Promise<{ name: string; status: string }[]> {
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
  const page = await (
    await fetch(`${creds.apiBaseUrl}/companies?size=200`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    })
  ).json();
  return page.content.filter((c: { externalId: string | null }) => c.externalId === String(cwId));
}

describe.skipIf(!hasChromium)('Create and Bind from the company pod (Chromium)', () => {
  const sandbox = useSandbox('create-bind-e2e-');

  it('creates Quarry Street Cafe in Pax8 from its ConnectWise details and binds it, once', async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=company&id=${quarry.cwId}`);
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod.locator('#pv-bind-title').waitFor({ timeout: 30_000 });
    expect(await pod.locator('.pv-summary h2').textContent()).toBe('Quarry Street Cafe');
    expect(await pax8CompaniesOf(sandbox.server.url, quarry.cwId)).toEqual([]);

    await pod.getByRole('button', { name: 'Create in Pax8 and bind…' }).click();
    const form = pod.getByRole('form', { name: 'Create new Pax8 company' });
    await form.waitFor({ timeout: 20_000 });
    expect(await form.getByLabel('Name').inputValue()).toBe('Quarry Street Cafe');
    expect(await form.getByLabel('City').inputValue()).toBe('Burlington');
    expect(await form.getByLabel('Zip code').inputValue()).toBe('05401');
    expect(await form.getByLabel('Country (2 letters)').inputValue()).toBe('US');
    expect(await form.getByLabel('Domain').inputValue()).toBe('www.quarrycafe.example');

    // A zip Pax8 would refuse is shown in place when the field is left, and the field says it is invalid.
    const zip = form.getByLabel('Zip code');
    await zip.fill('054');
    await zip.press('Tab');
    expect(await zip.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('.pv-field-error').first().textContent()).toBe(
      'Zip code must be 5 digits (or 12345-6789)',
    );
    await shootFrame(frame, pod, 320, 'create-bind-1-form-error-320');
    await shootFrame(frame, pod, 900, 'create-bind-2-form-error-900');

    await zip.fill('05401');
    await form.getByRole('radio', { name: 'Create new contact' }).check();
    await form.getByLabel('First name').fill('Nicholas');
    await form.getByLabel('Last name').fill('Ross');
    await form.getByLabel('Email').fill('nick.ross@northwind.example');
    // A double click on Create and Bind creates one company.
    await form.getByRole('button', { name: 'Create and Bind' }).dblclick();

    await pod.locator('#pv-bind-title').waitFor({ state: 'detached', timeout: 20_000 });
    await expect
      .poll(() => pod.locator('.pv-summary dd').first().textContent(), { timeout: 10_000 })
      .toBe('Quarry Street Cafe');
    expect(await pax8CompaniesOf(sandbox.server.url, quarry.cwId)).toEqual([
      expect.objectContaining({ name: 'Quarry Street Cafe', status: 'Active' }),
    ]);
    await shootFrame(frame, pod, 320, 'create-bind-3-bound-320');
    await shootFrame(frame, pod, 900, 'create-bind-4-bound-900');
    await page.close();
  });

  it("Ace's bindings: a product binding's bill option and taxable changed from the pod; unbind asks first", async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement`);
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod.locator('.pv-summary h2').waitFor({ timeout: 30_000 });
    await pod.locator('.pv-upkeep summary').click();
    await pod.getByRole('button', { name: /^Change binding of Microsoft Office 365 Enterprise E3/ }).click();
    const form = pod.getByRole('form', { name: /^Product binding of Microsoft Office 365 Enterprise E3/ });
    await form.waitFor({ timeout: 10_000 });
    expect(await form.getByLabel('Catalog item id').inputValue()).toBe('682');
    await form.getByLabel('Default bill options').selectOption('NoCharge');
    await form.getByLabel('Default taxable').selectOption('no');
    await shootFrame(frame, pod, 320, 'upkeep-1-binding-form-320');
    await form.getByRole('button', { name: 'Save binding' }).click();
    await form.waitFor({ state: 'detached', timeout: 10_000 });
    await pod.getByRole('button', { name: 'Unbind…' }).click();
    expect(await pod.getByRole('group', { name: 'Confirm unbind' }).textContent()).toContain(
      'Additions already written stay as they are',
    );
    await shootFrame(frame, pod, 900, 'upkeep-2-unbind-confirm-900');
    await pod.getByRole('button', { name: 'Keep' }).click();
    await page.close();
  });

  it("the wizard's Microsoft description names the prorate, whose own bill option is set there (guide)", async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=agreement`);
    const frame = page.locator('iframe.cw-frame-pod').first();
    const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
    await pod.locator('.pv-summary h2').waitFor({ timeout: 30_000 });
    await pod.getByRole('button', { name: /^Sync: Microsoft Office 365 Enterprise E3/ }).click();
    await pod.locator('.pv-prorates tbody tr').first().waitFor({ timeout: 20_000 });
    await pod.getByRole('radio', { name: 'Microsoft' }).check();
    const area = pod.getByRole('textbox', { name: 'Invoice description' });
    await expect
      .poll(() => area.inputValue(), { timeout: 10_000 })
      .toBe('Pax8 - Microsoft Office 365 Enterprise E3');
    await pod
      .getByRole('button', { name: /^Edit prorate/ })
      .first()
      .click();
    const edit = pod.getByRole('form', { name: 'Edit prorate' });
    await edit.waitFor();
    expect(await edit.getByLabel('Description').inputValue()).toMatch(
      /^Pax8 - Microsoft Office 365 Enterprise E3 - Prorated for \d\d\/\d\d\/\d{4}-\d\d\/\d\d\/\d{4}$/,
    );
    // The binding says NoCharge since the case before; this one line is DoNotBill.
    expect(await edit.getByLabel('Bill options').inputValue()).toBe('NoCharge');
    await edit.getByLabel('Bill options').selectOption('DoNotBill');
    await shootFrame(frame, pod, 320, 'bill-options-1-prorate-edit-320');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await pod.getByRole('button', { name: 'Continue' }).click();
    await pod.locator('.pv-review').first().waitFor({ timeout: 20_000 });
    const prorateReview = pod.locator('.pv-review', { hasText: 'Prorated for' }).first();
    await expect.poll(() => prorateReview.textContent(), { timeout: 10_000 }).toContain('DoNotBill');
    await shootFrame(frame, pod, 900, 'bill-options-2-review-900');
    await page.close();
  });
});
