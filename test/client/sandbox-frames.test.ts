import { describe, expect, it } from 'vitest';
import type { HostedSetup } from '../../client/sandbox-host/cw-rest.ts';
import { crossOriginUrl, framesFor, menuEntriesAt, substitute } from '../../client/sandbox-host/frames.ts';

const screens = new Map([
  [1, 'CompanyDetail'],
  [7, 'CompanyFinanceDetail'],
  [8, 'AgreementDetail'],
]);

describe('sandbox host: frames from the registered hosted setups', () => {
  it.each([
    ['http://127.0.0.1:8787/pod?x=1', 'http://127.0.0.1:8787/sandbox/host', 'http://localhost:8787/pod?x=1'],
    ['http://localhost:8787/pod', 'http://127.0.0.1:8787/sandbox/host', 'http://localhost:8787/pod'],
    ['http://localhost:9000/pod', 'http://localhost:8787/sandbox/host', 'http://127.0.0.1:9000/pod'],
    ['/pod?a=b', 'http://127.0.0.1:5000/sandbox/host', 'http://localhost:5000/pod?a=b'],
    ['https://pod.example.com/pod', 'http://127.0.0.1:5000/sandbox/host', 'https://pod.example.com/pod'],
  ])('%s framed from %s → %s', (url, page, expected) => {
    expect(crossOriginUrl(url, new URL(page)).toString()).toBe(expected);
  });

  it.each([
    ['/pod?screen=[cw_screen]&id=[cw_id]', 'agreement', 290, '/pod?screen=agreement&id=290'],
    [
      '/pod?id=[cw_id]&screen=[cw_screen]&view=tab',
      'companyfinance',
      7,
      '/pod?id=7&screen=companyfinance&view=tab',
    ],
  ] as const)('substitutes %s', (url, screen, id, expected) => {
    expect(substitute(url, screen, id)).toBe(expected);
  });

  const setup = (over: Partial<HostedSetup>): HostedSetup => ({
    id: 1,
    screenId: 8,
    description: 'Pax8',
    url: 'http://127.0.0.1:8787/pod?screen=[cw_screen]&id=[cw_id]',
    type: 'Pod',
    podHeight: 420,
    disabledFlag: false,
    ...over,
  });

  it('picks the enabled setups of the screen, with height, type and the pod origin', () => {
    const setups = [
      setup({ id: 1 }),
      setup({
        id: 2,
        type: 'Tab',
        description: 'Pax8 Subscriptions',
        url: 'http://127.0.0.1:8787/pod?screen=[cw_screen]&id=[cw_id]&view=tab',
        podHeight: null,
      }),
      setup({ id: 3, screenId: 1 }),
      setup({ id: 4, disabledFlag: true }),
      setup({ id: 5, type: 'ToolbarButton' }),
    ];
    expect(
      framesFor(setups, screens, 'agreement', 290, new URL('http://127.0.0.1:8787/sandbox/host')),
    ).toEqual([
      {
        key: 'setup-1',
        description: 'Pax8',
        type: 'Pod',
        src: 'http://localhost:8787/pod?screen=agreement&id=290',
        origin: 'http://localhost:8787',
        height: 420,
        registered: true,
      },
      {
        key: 'setup-2',
        description: 'Pax8 Subscriptions',
        type: 'Tab',
        src: 'http://localhost:8787/pod?screen=agreement&id=290&view=tab',
        origin: 'http://localhost:8787',
        height: 760,
        registered: true,
      },
    ]);
  });

  it('falls back to an unregistered default pod and tab when nothing is registered', () => {
    const frames = framesFor(
      [setup({ screenId: 1 })],
      screens,
      'companyfinance',
      253,
      new URL('http://127.0.0.1:8787/x'),
    );
    expect(frames.map((f) => [f.key, f.type, f.src, f.registered])).toEqual([
      ['default-pod', 'Pod', 'http://localhost:8787/pod?screen=companyfinance&id=253', false],
      ['default-tab', 'Tab', 'http://localhost:8787/pod?screen=companyfinance&id=253&view=tab', false],
    ]);
  });

  it("frames the unregistered defaults with the sandbox tenant's key when it is known", () => {
    const frames = framesFor(
      [],
      screens,
      'agreement',
      290,
      new URL('http://127.0.0.1:8787/x'),
      'Key_0123456789abcdefghij',
    );
    expect(frames.map((f) => f.src)).toEqual([
      'http://localhost:8787/pod?t=Key_0123456789abcdefghij&screen=agreement&id=290',
      'http://localhost:8787/pod?t=Key_0123456789abcdefghij&screen=agreement&id=290&view=tab',
    ]);
    expect(menuEntriesAt([], 'Companies', 'Key_0123456789abcdefghij')).toEqual([
      { entry: { id: 0, caption: 'Pax8', link: '/app?t=Key_0123456789abcdefghij' }, registered: false },
    ]);
  });
});
