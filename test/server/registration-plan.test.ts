import { describe, expect, it } from 'vitest';
import { expandUrl, manifestFor } from '../../manifest/hosted-setups.ts';
import type { ExistingSetup } from '../../server/registration/plan.ts';
import { planRegistration, planRemoval } from '../../server/registration/plan.ts';

const publicUrl = 'https://pod.example.com/';
const manifest = manifestFor('KEY-0123456789abcdefghijk');
const screens = [
  { id: 1, name: 'CompanyDetail' },
  { id: 7, name: 'CompanyFinanceDetail' },
  { id: 12, name: 'AgreementDetail' },
];

describe('the manifest', () => {
  it("expands to these URLs for https://pod.example.com/ and the tenant key 'KEY-0123456789abcdefghijk'", () => {
    const rows = manifest.hostedSetups.map((s) => [
      s.screen,
      s.type,
      expandUrl(s.url, publicUrl),
      s.podHeight,
    ]);
    expect(rows).toEqual([
      [
        'AgreementDetail',
        'Pod',
        'https://pod.example.com/pod?t=KEY-0123456789abcdefghijk&screen=[cw_screen]&id=[cw_id]',
        420,
      ],
      [
        'CompanyDetail',
        'Pod',
        'https://pod.example.com/pod?t=KEY-0123456789abcdefghijk&screen=[cw_screen]&id=[cw_id]',
        360,
      ],
      [
        'CompanyFinanceDetail',
        'Pod',
        'https://pod.example.com/pod?t=KEY-0123456789abcdefghijk&screen=[cw_screen]&id=[cw_id]',
        420,
      ],
      [
        'AgreementDetail',
        'Tab',
        'https://pod.example.com/pod?t=KEY-0123456789abcdefghijk&screen=[cw_screen]&id=[cw_id]&view=tab',
        undefined,
      ],
      [
        'CompanyDetail',
        'Tab',
        'https://pod.example.com/pod?t=KEY-0123456789abcdefghijk&screen=[cw_screen]&id=[cw_id]&view=tab',
        undefined,
      ],
      [
        'CompanyFinanceDetail',
        'Tab',
        'https://pod.example.com/pod?t=KEY-0123456789abcdefghijk&screen=[cw_screen]&id=[cw_id]&view=tab',
        undefined,
      ],
      // Issue 11: the reconciliation board, reachable from the company screen as a tab.
      [
        'CompanyDetail',
        'Tab',
        'https://pod.example.com/app?t=KEY-0123456789abcdefghijk&section=board&company=[cw_id]',
        undefined,
      ],
    ]);
    expect(
      manifest.menuEntries.map((m) => [m.menuLocation, m.caption, expandUrl(m.link, publicUrl)]),
    ).toEqual([['Companies', 'Pax8', 'https://pod.example.com/app?t=KEY-0123456789abcdefghijk']]);
  });

  it('keeps descriptions within ConnectWise limits (50)', () => {
    for (const s of manifest.hostedSetups) expect(s.description.length).toBeLessThanOrEqual(50);
  });
});

describe('planRegistration', () => {
  it('creates everything on an empty instance, with our origin', () => {
    const steps = planRegistration(manifest, publicUrl, { setups: [], menuEntries: [] }, screens);
    expect(steps.map((s) => s.action)).toEqual([
      'create',
      'create',
      'create',
      'create',
      'create',
      'create',
      'create',
      'create',
    ]);
    const first = steps[0];
    expect(first?.action === 'create' && first.kind === 'setup' ? first.body : null).toEqual({
      screenId: 12,
      description: 'Pax8',
      url: 'https://pod.example.com/pod?t=KEY-0123456789abcdefghijk&screen=[cw_screen]&id=[cw_id]',
      type: 'Pod',
      origin: 'https://pod.example.com',
      disabledFlag: false,
      podHeight: 420,
    });
  });

  it('reports screens the instance does not offer instead of failing', () => {
    const steps = planRegistration(manifest, publicUrl, { setups: [], menuEntries: [] }, screens.slice(0, 2));
    const missing = steps.filter((s) => s.action === 'missing-screen');
    expect(
      missing.map((s) => (s.kind === 'setup' && 'spec' in s ? `${s.spec.type} ${s.spec.screen}` : '')),
    ).toEqual(['Pod AgreementDetail', 'Tab AgreementDetail']);
  });

  const existing = (over: Partial<ExistingSetup>): ExistingSetup => ({
    id: 50,
    screenId: 1,
    description: 'Pax8',
    url: 'https://pod.example.com/pod?t=KEY-0123456789abcdefghijk&screen=[cw_screen]&id=[cw_id]',
    type: 'Pod',
    origin: 'https://pod.example.com',
    podHeight: 360,
    disabledFlag: false,
    ...over,
  });

  it.each([
    ['identical → unchanged', {}, 'unchanged'],
    ['other height → update', { podHeight: 200 }, 'update'],
    ['disabled → update', { disabledFlag: true }, 'update'],
    ['renamed by an admin, same url → update', { description: 'Pax8 (old)' }, 'update'],
    [
      'old url but ours (same origin & description) → update',
      { url: 'https://pod.example.com/old' },
      'update',
    ],
    [
      'someone else’s pod on the screen → create ours',
      { url: 'https://other.example/x', origin: 'https://other.example' },
      'create',
    ],
  ] as const)('CompanyDetail pod: %s', (_name, over, action) => {
    const steps = planRegistration(
      manifest,
      publicUrl,
      { setups: [existing(over)], menuEntries: [] },
      screens,
    );
    const step = steps.find(
      (s) => s.kind === 'setup' && 'spec' in s && s.spec.screen === 'CompanyDetail' && s.spec.type === 'Pod',
    );
    expect(step?.action).toBe(action);
  });

  it('removes only our setups and menu entries', () => {
    const steps = planRemoval(publicUrl, {
      setups: [
        existing({ id: 1 }),
        existing({ id: 2, url: 'https://other.example/x', origin: 'https://other.example' }),
      ],
      menuEntries: [
        { id: 3, menuLocation: 'Companies', caption: 'Pax8', link: 'https://pod.example.com/app' },
        { id: 4, menuLocation: 'Companies', caption: 'Other', link: 'https://other.example/app' },
      ],
    });
    expect(steps.map((s) => `${s.kind}:${s.action}:${'id' in s ? s.id : ''}`)).toEqual([
      'setup:remove:1',
      'menu:remove:3',
    ]);
  });
});
