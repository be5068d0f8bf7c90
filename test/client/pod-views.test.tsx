// Render tests of the pod's record view and wizard in happy-dom: badges say their status in words, the
// invoice description counter, the prorate figures exactly as the plan gives them, and one apply per Confirm.
import { readFileSync } from 'node:fs';
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import type { RowStatus } from '../../client/state/pod-schemas.ts';
import { CharCounter } from '../../client/ui/char-counter.tsx';
import { StatusBadge } from '../../client/ui/status-badge.tsx';
import { text, useMountPoint } from './fakes/dom.ts';
import {
  boundView,
  companyView,
  FakePodServer,
  flush,
  guidePlan,
  PAX8_ACE,
  unboundView,
} from './pod-fakes.ts';

const root = useMountPoint();

const button = (label: string) =>
  [...root.querySelectorAll('button')].find(
    (b) => text(b) === label || b.getAttribute('aria-label') === label,
  );

async function mount(server: FakePodServer, wide = false) {
  const refreshes: number[] = [];
  const models = createRecordModels(
    { api: server.api(), bridge: { refreshScreen: async () => void refreshes.push(1) } },
    'agreement',
    290,
  );
  render(<RecordBody models={models} wide={wide} />, root);
  await models.record.load();
  await flush();
  return { models, refreshes };
}

describe('status badge', () => {
  it.each<[RowStatus, string, string]>([
    ['synced', 'Synced', 'ok'],
    ['quantity_differs', 'Quantity differs', 'warn'],
    ['price_differs', 'Price differs', 'warn'],
    ['not_on_agreement', 'Not on agreement', 'warn'],
    ['product_not_bound', 'Product not bound', 'warn'],
    ['change_not_synced', 'Change not synced', 'warn'],
  ])('%s reads "%s" (tone %s), not colour alone', async (status, label, tone) => {
    render(<StatusBadge status={status} />, root);
    const badge = root.querySelector('.cw-badge');
    expect(badge?.classList.contains(tone)).toBe(true);
    const spoken = badge?.cloneNode(true) as HTMLElement;
    for (const hidden of spoken.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
    expect(text(spoken)).toBe(label);
  });
});

describe('char counter', () => {
  it.each([
    [50, 6000, '50/6000', false],
    [6000, 6000, '6000/6000', false],
    [6001, 6000, '6001/6000 characters: too long', true],
  ])('%i of %i reads "%s"', (length, max, expected, over) => {
    render(<CharCounter length={length} max={max} />, root);
    expect(text(root.querySelector('.cw-counter'))).toBe(expected);
    expect(root.querySelector('.cw-counter')?.classList.contains('over')).toBe(over);
  });
});

describe('record view', () => {
  it('shows a loading state, then the count out of step and one line per subscription', async () => {
    const server = new FakePodServer();
    const models = createRecordModels({ api: server.api() }, 'agreement', 290);
    render(<RecordBody models={models} wide={false} />, root);
    expect(text(root)).toContain('Loading Pax8 subscriptions…');
    await models.record.load();
    await flush();
    expect(text(root.querySelector('h2'))).toBe('Ace Monthly');
    expect(text(root.querySelector('.pv-count'))).toBe('2 out of step · 3 subscriptions');
    const rows = [...root.querySelectorAll('.pv-row')].map((r) => [
      text(r.querySelector('.pv-row-name')),
      text(r.querySelector('.cw-badge')),
      text(r.querySelector('button')),
    ]);
    expect(rows).toEqual([
      [
        'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
        '+ Not on agreement',
        'Sync',
      ],
      ['Microsoft Defender for Business', '? Product not bound', 'Bind product'],
      ['Exchange Online (Plan 1)', '✓ Synced', 'Review'],
    ]);
    expect(text(root.querySelector('[aria-live="polite"]'))).toBe('3 subscriptions, 2 out of step');
  });

  it('shows the error with a Retry that reloads', async () => {
    const server = new FakePodServer();
    const ok = server.routes.get('GET /api/views/agreement/290')!;
    server.on('GET /api/views/agreement/290', () => ({
      status: 503,
      body: { error: { code: 'upstream_unavailable', message: 'ConnectWise did not answer' } },
    }));
    await mount(server);
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('ConnectWise did not answer');
    server.on('GET /api/views/agreement/290', ok);
    button('Retry')?.click();
    await flush();
    expect(text(root.querySelector('.pv-count'))).toBe('2 out of step · 3 subscriptions');
  });

  it('binds an unbound company in place with the best match preselected', async () => {
    const server = new FakePodServer();
    server.on('GET /api/views/agreement/290', () => ({ body: unboundView }));
    server.on('POST /api/bindings/company', (body) => ({ status: 201, body: { binding: body } }));
    await mount(server);
    const options = [...root.querySelectorAll('select option')].map((o) => text(o));
    expect(options).toEqual(['Ace Chemical Processing Plant (100% match)', 'Ace Chemicals Ltd (71% match)']);
    button('Bind')?.click();
    await flush();
    expect(server.bodies('POST /api/bindings/company')).toEqual([
      { cwCompanyId: 19, pax8CompanyId: PAX8_ACE },
    ]);
  });

  it('says an unbound company is not bound once, in the server’s words, above its binding form', async () => {
    const server = new FakePodServer();
    const says = 'Ace Chemical Processing Plant is not bound to a Pax8 company yet (server words).';
    server.on('GET /api/views/agreement/290', () => ({
      body: { ...unboundView, warnings: [{ code: 'company_not_bound', message: says }] },
    }));
    await mount(server);
    const shown = root.cloneNode(true) as HTMLElement;
    for (const hidden of shown.querySelectorAll('.sr-only')) hidden.remove();
    expect(text(shown).match(/not bound/gi)).toHaveLength(1);
    expect(text(root.querySelector('.pv-panel p'))).toBe(says);
  });

  it('syncs through the wizard: counter 50/6000, the prorate figures, review, one apply on a double click', async () => {
    const server = new FakePodServer();
    const { refreshes } = await mount(server);
    button(
      'Sync: Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
    )?.click();
    await flush();
    expect(text(root.querySelector('#pv-inv-count'))).toBe('50/6000');
    expect(text(root.querySelector('[aria-current="step"]'))).toContain('Agreement');
    expect(text(document.activeElement)).toBe('Configure addition');
    const cells = [...root.querySelectorAll('.pv-prorates tbody tr:first-child td')].map((td) => text(td));
    expect(cells).toEqual([
      '',
      '',
      '290',
      '10/01/2020',
      '09/09/2020 - 09/30/2020',
      '1.00 *',
      '2.00',
      '14.00',
      '20.00',
      '17.50',
      '25.00',
      '$17.50',
      'EditExclude',
    ]);
    button('Exclude prorate 09/09/2020')?.click();
    await flush();
    expect(root.querySelector('.pv-prorates tbody tr')?.classList.contains('excluded')).toBe(true);
    button('Include prorate 09/09/2020')?.click();
    await flush();
    button('Continue')?.click();
    await flush();
    expect(text(document.activeElement)).toBe('Review');
    const titles = [...root.querySelectorAll('.pv-review h5')].map((h) => text(h));
    expect(titles).toEqual([
      'Creating new ConnectWise addition.',
      'Creating new ConnectWise addition: prorated addition',
    ]);
    const firstReview = [...root.querySelectorAll('.pv-review:first-of-type tbody tr')].map((tr) =>
      [...tr.children].map((cell) => text(cell)),
    );
    expect(firstReview).toEqual([
      [
        'Product Name:',
        'Microsoft Office 365 Enterprise E3',
        'Pax8 - Microsoft Office 365 Enterprise E3 - Includ',
      ],
      ['Invoice Description:', 'N/A', 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ'],
      ['Term:', 'Monthly', 'Monthly'],
      ['Quantity:', '2 units', '2 units'],
      ['Unit Cost:', '$20.00', '$20.00'],
      ['Unit Price:', '$25.00', '$25.00'],
      ['Recurring Cost:', '$40.00', '$40.00 ($20.00 × 2 units)'],
      ['Recurring Price:', '$50.00', '$50.00 ($25.00 × 2 units)'],
      ['Effective Date:', '', '10/01/2020'],
      ['Bill Customer:', 'N/A', 'Billable'],
      ['Taxable:', 'N/A', 'true'],
    ]);
    const confirm = button('Confirm Sync (2)')!;
    confirm.click();
    confirm.click();
    await flush();
    expect(server.count('POST /api/sync/apply')).toBe(1);
    expect(text(root.querySelector('.pv-written'))).toBe(
      'Created recurring addition #683Created prorated addition #682',
    );
    expect(refreshes).toEqual([1]);
    expect(server.count('GET /api/views/agreement/290')).toBe(2);
  });

  it('marks required fields for screen readers (no "star"), and shows ignored review lines in full contrast with a tag', async () => {
    const server = new FakePodServer();
    await mount(server);
    button(
      'Sync: Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
    )?.click();
    await flush();
    const form = root.querySelector('.pv-step form')!;
    const legend = form.firstElementChild;
    expect([text(legend), legend?.getAttribute('aria-hidden')]).toEqual(['* required', 'true']);
    const fields = [...form.querySelectorAll(':scope > label.pv-field')].map((label) => {
      const caption = label.querySelector(':scope > span')!;
      const control = label.querySelector('input, select')!;
      const star = caption.querySelector('[aria-hidden="true"]');
      const required =
        (control as HTMLInputElement).required || control.getAttribute('aria-required') === 'true';
      return [text(caption), star ? text(star) : null, required];
    });
    expect(fields).toEqual([
      ['Agreement *', '*', true],
      ['Effective date *', '*', true],
      ['Quantity', null, false],
      ['Price', null, false],
      ['Cost', null, false],
      ['Bill options', null, false],
      ['Taxable', null, false],
    ]);

    const extra = root.querySelector('form[aria-label="Extra months addition"]')!;
    expect(text(extra.firstElementChild)).toBe('* required');
    const extraRequired = [...extra.querySelectorAll<HTMLInputElement>('input')].map((i) => [
      text(i.labels?.[0]?.querySelector('span')),
      i.required,
    ]);
    expect(extraRequired).toEqual([
      ['Effective date *', true],
      ['Quantity *', true],
      ['Starting month *', true],
      ['Number of months *', true],
      ['Price', false],
      ['Cost', false],
    ]);

    button('Continue')?.click();
    await flush();
    const sections = () => [...root.querySelectorAll<HTMLElement>('.pv-review')];
    const tags = () => sections().map((s) => text(s.querySelector('.pv-ignored-tag')) || null);
    expect(tags()).toEqual([null, null]);
    sections()[1]?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
    await flush();
    expect(tags()).toEqual([null, 'Ignored — will not be written']);
    expect(sections()[1]?.classList.contains('ignored')).toBe(true);
    expect(text(button('Confirm Sync (1)'))).toBe('Confirm Sync (1)');
    // No dimming: an ignored line's text keeps the normal contrast.
    const css = readFileSync('client/pod/views/pod-views.css', 'utf8');
    expect(css).not.toMatch(/\.ignored[^{]*\{[^}]*opacity/);
    sections()[1]?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
    await flush();
    expect(tags()).toEqual([null, null]);
  });

  it('says when the month is already billed and offers the proposed date and extra-months line', async () => {
    const server = new FakePodServer();
    const proposal = { effectiveDate: '2020-11-01', quantity: 1, startMonth: '2020-10', months: 1 };
    server.on('POST /api/sync/plan', (body) => {
      const options = (body as { options?: Record<string, unknown> }).options ?? {};
      const plan = guidePlan(`plan-${server.count('POST /api/sync/plan')}`);
      const warnings = options.extraMonths
        ? []
        : [{ code: 'billed_in_advance', message: 'October 2020 is already invoiced.', proposal }];
      return { body: { ...plan, warnings } };
    });
    await mount(server);
    button(
      'Sync: Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
    )?.click();
    await flush();
    expect(text(root.querySelector('.pv-step .cw-notice.warn'))).toContain(
      'October 2020 is already invoiced.',
    );
    button('Use effective date 11/01/2020')?.click();
    await flush();
    button('Add the extra months line')?.click();
    await flush();
    const options = server.bodies('POST /api/sync/plan').map((b) => (b as { options?: unknown }).options);
    expect(options).toEqual([
      undefined,
      { effectiveDate: '2020-11-01' },
      { effectiveDate: '2020-11-01', extraMonths: proposal },
    ]);
    expect(root.querySelector('.pv-step .cw-notice.warn')).toBeNull();
    expect(text(root.querySelector('.pv-extra summary'))).toBe('Configure extra months addition (added)');
  });

  it('counts a custom invoice description live and re-plans with it; edits a prorate inline', async () => {
    const server = new FakePodServer();
    await mount(server);
    button(
      'Sync: Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
    )?.click();
    await flush();
    // The Custom radio, found by its label: Microsoft (the guide's third option) now sits before it.
    const custom = [...root.querySelectorAll<HTMLInputElement>('input[name="description"]')].find(
      (r) => r.parentElement?.textContent?.trim() === 'Custom',
    )!;
    custom.click();
    await flush();
    const area = root.querySelector<HTMLTextAreaElement>('textarea[aria-label="Invoice description"]')!;
    expect(area.readOnly).toBe(false);
    area.value = 'Office E3 seats';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    await flush();
    expect(text(root.querySelector('#pv-inv-count'))).toBe('15/6000');
    area.dispatchEvent(new Event('change', { bubbles: true }));
    await flush();
    button('Edit prorate 09/09/2020')?.click();
    await flush();
    const form = root.querySelector<HTMLFormElement>('form[aria-label="Edit prorate"]')!;
    form.querySelector<HTMLInputElement>('input[name="unitPrice"]')!.value = '18';
    form.requestSubmit();
    await flush();
    const options = server.bodies('POST /api/sync/plan').map((b) => (b as { options?: unknown }).options);
    expect(options.at(-2)).toEqual({ description: { kind: 'custom', text: 'Office E3 seats' } });
    expect(options.at(-1)).toEqual({
      description: { kind: 'custom', text: 'Office E3 seats' },
      prorates: { edit: { '2020-09-09': { unitPrice: '18.00' } } },
    });
  });
});

describe('ghosts: additions billed without a Pax8 subscription', () => {
  const addition = (
    id: number,
    invoiceDescription: string,
    quantity: number,
    unitPrice: number | string,
  ) => ({
    id,
    catalogId: 683,
    identifier: 'MST-OFB-BES-C100',
    quantity,
    unitPrice,
    unitCost: 4.2,
    effectiveDate: '2018-11-01',
    cancelledDate: null,
    invoiceDescription,
  });
  const ghosts = [
    {
      agreementId: 290,
      addition: addition(801, 'Microsoft Office 365 Business Essentials', 26, 5),
      reason: 'no_subscription',
    },
    {
      agreementId: 291,
      addition: { ...addition(802, 'Pax8 - Dropsuite', 16, '4'), effectiveDate: '2020-07-01' },
      productName: 'Dropsuite Business Backup + Email Archiving',
      reason: 'subscription_cancelled',
    },
  ];
  const ghostLines = () =>
    [...root.querySelectorAll('.pv-ghost')].map((li) => [
      text(li.querySelector('.pv-row-name')),
      text(li.querySelector('.pv-muted')),
      text(li.querySelector('.pv-ghost-reason')),
      text(li.querySelector('.cw-badge')),
    ]);

  it('lists them under their heading with quantity × price, since date, reason, badge and the hint', async () => {
    const server = new FakePodServer();
    server.on('GET /api/views/agreement/290', () => ({ body: { ...boundView, ghosts } }));
    await mount(server);
    const section = root.querySelector('[aria-labelledby="pv-ghosts-title"]');
    expect(text(section?.querySelector('h3'))).toBe('Billed without a Pax8 subscription');
    expect(text(section?.querySelector('.pv-note'))).toBe(
      'Cancel it in ConnectWise (set a cancelled date) if the customer no longer has it.',
    );
    expect(ghostLines()).toEqual([
      [
        'Microsoft Office 365 Business Essentials',
        '26 × $5.00 · since 11/01/2018',
        'The customer has no Pax8 subscription for this product.',
        '! Not in Pax8',
      ],
      [
        'Pax8 - Dropsuite',
        '16 × $4.00 · since 07/01/2020',
        'The Pax8 subscription for Dropsuite Business Backup + Email Archiving was cancelled.',
        '✕ Cancelled in Pax8',
      ],
    ]);
    // The badge says it in words (the symbol is hidden from screen readers) and in the ghost colour.
    const badge = section?.querySelector('.cw-badge') as HTMLElement;
    expect(badge.classList.contains('ghost')).toBe(true);
    expect(badge.querySelector('[aria-hidden="true"]')?.textContent).toBe('! ');
    // Read-only: no button in the ghost list; the count at the top includes the ghosts.
    expect(section?.querySelectorAll('button, a, input')).toHaveLength(0);
    expect(text(root.querySelector('.pv-count'))).toBe(
      '4 out of step · 3 subscriptions · 2 billed without one',
    );
  });

  it('names the agreement of each ghost in the company view', async () => {
    const server = new FakePodServer();
    server.on('GET /api/views/company/19', () => ({ body: companyView(ghosts) }));
    const models = createRecordModels({ api: server.api() }, 'company', 19);
    render(<RecordBody models={models} wide={false} />, root);
    await models.record.load();
    await flush();
    expect(ghostLines().map((line) => line[1])).toEqual([
      '26 × $5.00 · since 11/01/2018 · Ace Monthly',
      '16 × $4.00 · since 07/01/2020 · Ace Cloud Services',
    ]);
  });

  it('shows no ghost section when there are none, nor while the wizard is open', async () => {
    const server = new FakePodServer();
    await mount(server);
    expect(root.querySelector('.pv-ghosts')).toBeNull();
    render(null, root);
    server.on('GET /api/views/agreement/290', () => ({ body: { ...boundView, ghosts } }));
    const { models } = await mount(server);
    expect(root.querySelectorAll('.pv-ghost')).toHaveLength(2);
    button(
      'Sync: Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
    )?.click();
    await flush();
    expect(models.wizard.open.value?.row.subscription.productName).toContain('Enterprise E3');
    expect(root.querySelector('.pv-ghosts')).toBeNull();
  });
});
