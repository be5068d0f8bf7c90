// Month-end in one pass (issue 11, "Done when"), in Chromium inside the app under Companies › Pax8: the board
// shows the demo's out-of-step money; every syncable row out of step of two customers (Ace Chemical Processing
// Plant and Arcadia Tech) is selected → one review grouped by agreement → Confirm → the progress bar to the
// end → the board shows them synced; the batch is undone after the review of its reversal → ConnectWise's
// additions are exactly as before (read over the emulator's REST) and the board shows them out of step again.
// Screenshots at 1280 px and the board at 320 px.
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshotPath } from './chromium.ts';
import { type Addition, cwAdditions, useSandbox } from './sandbox.ts';

const hasChromium = chromiumAvailable();
const CUSTOMERS = ['Ace Chemical Processing Plant', 'Arcadia Tech'] as const;

/** What an addition bills, without ConnectWise's bookkeeping (_info): the fields a sync or an undo writes. */
const billed = (a: Addition) => ({
  id: a.id,
  product: a.product?.identifier,
  quantity: a.quantity,
  unitPrice: a.unitPrice,
  unitCost: a.unitCost,
  effectiveDate: a.effectiveDate ?? null,
  cancelledDate: a.cancelledDate ?? null,
  invoiceDescription: a.invoiceDescription,
});

type BoardLine = {
  subscriptionId: string;
  agreementId: number | null;
  status: string;
  notBilled: string;
  /** What the figure is, for a charge up front or once ('per year, up front'); '' for money a month. */
  charge: string;
};

describe.skipIf(!hasChromium)('month-end: board → bulk review → apply → undo (Chromium)', () => {
  const sandbox = useSandbox('month-end-e2e-');

  async function openBoard(page: Page): Promise<FrameLocator> {
    await page.goto(`${sandbox.server.url}/sandbox/host?screen=company`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Pax8', exact: true })
      .click();
    const app = page.frameLocator('iframe.cw-frame-tab >> nth=0');
    await expect
      .poll(() => app.locator('.board-totals strong').textContent(), { timeout: 30_000 })
      .toMatch(/a month not billed/);
    return app;
  }

  /** Shows the customer's rows under the status filter and reads them once the table holds only theirs. */
  async function rowsOf(app: FrameLocator, customer: string, status: string): Promise<BoardLine[]> {
    await app.getByLabel('Status').selectOption(status);
    await app.getByRole('searchbox').fill(customer);
    const rows = app.locator('table.board-table tbody tr');
    await expect
      .poll(
        async () => {
          const heads = await rows.locator('th').allTextContents();
          return heads.length > 0 && heads.every((h) => h.startsWith(customer));
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    return rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = tr.querySelectorAll('td');
        const id = /agreement #(\d+)/.exec(tr.querySelector('th')?.textContent ?? '')?.[1];
        return {
          subscriptionId: (cells[1]?.getAttribute('title') ?? '').replace('Pax8 subscription ', ''),
          agreementId: id ? Number(id) : null,
          status: cells[4]?.querySelector('.app-reason')?.textContent ?? '',
          notBilled: cells[8]?.firstChild?.textContent ?? '',
          charge: cells[8]?.querySelector('.board-charge')?.textContent ?? '',
        };
      }),
    );
  }

  /** The board's line for each subscription, read customer by customer (every status). */
  async function statusesOf(app: FrameLocator, ids: readonly string[]): Promise<Map<string, BoardLine>> {
    const all = new Map<string, BoardLine>();
    for (const customer of CUSTOMERS) {
      for (const r of await rowsOf(app, customer, 'all')) all.set(r.subscriptionId, r);
    }
    return new Map(
      ids.map((id) => [
        id,
        all.get(id) ?? { subscriptionId: id, agreementId: null, status: '?', notBilled: '', charge: '' },
      ]),
    );
  }

  it('selects two customers, reviews, applies to the end, shows them synced, and undoes the batch', async () => {
    const page = await sandbox.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const app = await openBoard(page);
    await expect
      .poll(() => app.locator('.app-checked p').textContent(), { timeout: 30_000 })
      .toMatch(/^Computed /);
    const totals = app.locator('.board-totals strong');
    // The demo on 2026-11-20 (the same figures as the server's board.test.ts): the terms billed up front are
    // not money a month, and are said apart.
    expect(await totals.textContent()).toBe(
      '$2,240.00 a month not billed, $80.00 billed twice, $1,659.00 billed above what it should; ' +
        '$30,207.60 of up-front charges not billed',
    );
    await page.screenshot({ path: screenshotPath('month-end-board-1280'), fullPage: true });

    // Every row out of step of the two customers that ConnectWise has an agreement for (the syncable ones).
    const chosen: BoardLine[] = [];
    for (const customer of CUSTOMERS) {
      const rows = await rowsOf(app, customer, 'out_of_step');
      // Syncable: ConnectWise has an agreement for it, its product is bound to a catalog item, and it is not
      // billed on a second agreement (a sync writes one agreement; the other's lines are a person's call).
      const syncable = rows.filter(
        (r) => r.agreementId !== null && !['Product not bound', 'On two agreements'].includes(r.status),
      );
      for (const r of syncable) {
        await app
          .locator(`tr:has(td[title="Pax8 subscription ${r.subscriptionId}"]) input[type=checkbox]`)
          .check();
        chosen.push(r);
      }
    }
    const agreements = [...new Set(chosen.map((r) => r.agreementId as number))];
    const before = new Map<number, ReturnType<typeof billed>[]>();
    for (const id of agreements) before.set(id, (await cwAdditions(sandbox.server.url, id)).map(billed));

    // Ace's E3 (never synced); Arcadia's Business Basic (never synced) and Business Premium (quantity differs).
    expect(chosen.map((r) => [r.status, r.notBilled, r.charge])).toEqual([
      ['Never synced', '$50.00', ''],
      ['Never synced', '$820.80', 'per year, up front'],
      ['Quantity differs', '-$264.00', ''],
    ]);
    const review = app.getByRole('button', { name: 'Review selected (3)' });
    await review.click();
    const captions = app.locator('.bulk-review caption');
    await expect.poll(() => captions.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // One review grouped by agreement: Ace's E3 as the guide (50.00 + 17.50 prorate + 75.00 back-bill) and
    // Arcadia's annual Business Basic term (12 × 68.40) and its Business Premium quantity (11 × 22.00).
    expect(await captions.allTextContents()).toEqual([
      'Ace Chemical Processing Plant / Ace Monthly — $142.50 (3 line(s))',
      'Arcadia Tech / Arcadia Monthly — $1,062.80 (2 line(s))',
    ]);
    expect(await app.locator('.bulk-review .app-money').textContent()).toBe(
      '$1,205.30 to bill on 2 agreement(s), 5 line(s), Pax8 cost $964.24',
    );
    await page.screenshot({ path: screenshotPath('month-end-review-1280'), fullPage: true });
    const floor = app.getByRole('checkbox', { name: /below the margin floor/ });
    if ((await floor.count()) > 0) await floor.check();
    await app.getByRole('button', { name: 'Confirm', exact: true }).click();

    const bar = app.getByRole('progressbar', { name: 'Apply progress' });
    const max = await bar.getAttribute('aria-valuemax');
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe(max);
    expect(await app.locator('.bulk-progress p').textContent()).toBe('3 of 3 done');
    await page.screenshot({ path: screenshotPath('month-end-applied-1280'), fullPage: true });
    // The app keeps the job in its URL hash while it is open (a reopened page follows it).
    const jobHash = await app.locator('body').evaluate(() => location.hash);
    expect(jobHash).toMatch(/^#bulk-job=[0-9a-f-]{36}$/);
    const after = new Map<number, ReturnType<typeof billed>[]>();
    for (const id of agreements) after.set(id, (await cwAdditions(sandbox.server.url, id)).map(billed));
    // Ace Monthly gains E3's three additions; Arcadia Monthly the period addition (Premium's is updated).
    expect(agreements.map((id) => [before.get(id)?.length, after.get(id)?.length])).toEqual([
      [5, 8],
      [2, 3],
    ]);

    // Back on the board (the app reloads it when the job ends): the chosen rows read synced.
    await app.locator('.bulk-review').getByRole('button', { name: 'Close' }).click();
    const statuses = async () =>
      [
        ...(
          await statusesOf(
            app,
            chosen.map((r) => r.subscriptionId),
          )
        ).values(),
      ].map((r) => r.status);
    await expect.poll(statuses, { timeout: 30_000 }).toEqual(chosen.map(() => 'Synced'));
    // 2,240.00 − 50.00 (Ace E3); 1,659.00 − 264.00 (Arcadia's Premium); 30,207.60 − 820.80 (Arcadia's term).
    await expect
      .poll(() => totals.textContent(), { timeout: 20_000 })
      .toBe(
        '$2,190.00 a month not billed, $80.00 billed twice, $1,395.00 billed above what it should; ' +
          '$29,386.80 of up-front charges not billed',
      );
    await page.screenshot({ path: screenshotPath('month-end-synced-1280'), fullPage: true });

    // Undo the batch: the board keeps it one click away; the review of the reversal, Confirm undo, the bar.
    expect(await app.locator('.bulk-last span').textContent()).toBe('Last batch: 3 of 3 done.');
    await app.getByRole('button', { name: 'Open the last batch (undo)…' }).click();
    await app.getByRole('button', { name: 'Undo this batch…' }).click({ timeout: 30_000 });
    const undoCaption = app.locator('.bulk-review caption', { hasText: 'What the undo writes' });
    await expect.poll(() => undoCaption.textContent(), { timeout: 20_000 }).toMatch(/change\(s\)/);
    // Four created additions removed, Premium's quantity restored.
    expect(await undoCaption.textContent()).toBe('What the undo writes (5 change(s))');
    await page.screenshot({ path: screenshotPath('month-end-undo-1280'), fullPage: true });
    await app.getByRole('button', { name: 'Confirm undo' }).click();
    const undoBar = app.getByRole('progressbar', { name: 'Undo progress' });
    const undoMax = await undoBar.getAttribute('aria-valuemax');
    await expect.poll(() => undoBar.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe(undoMax);
    expect(await app.locator('.bulk-progress p').textContent()).toBe('5 of 5 done');
    for (const id of agreements) {
      expect((await cwAdditions(sandbox.server.url, id)).map(billed)).toEqual(before.get(id));
    }
    await app.locator('.bulk-review').getByRole('button', { name: 'Close' }).click();
    await expect.poll(statuses, { timeout: 30_000 }).toEqual(chosen.map((r) => r.status));
    await expect
      .poll(() => totals.textContent(), { timeout: 20_000 })
      .toBe(
        '$2,240.00 a month not billed, $80.00 billed twice, $1,659.00 billed above what it should; ' +
          '$30,207.60 of up-front charges not billed',
      );
    await page.screenshot({ path: screenshotPath('month-end-undone-1280'), fullPage: true });

    // The board in the app's frame 320 px wide (the sandbox host's own menu takes the rest).
    await page.setViewportSize({ width: 510, height: 900 });
    const narrow = await openBoard(page);
    await narrow.locator('table.board-table').waitFor({ timeout: 30_000 });
    const width = await page
      .locator('iframe.cw-frame-tab')
      .first()
      .evaluate((el) => el.clientWidth);
    expect(width).toBeLessThanOrEqual(330);
    await page.screenshot({ path: screenshotPath('month-end-board-320'), fullPage: true });
    await page.close();
  }, 240_000);
});
