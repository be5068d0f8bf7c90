import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifest as legacy, manifestFor, manifest as template } from '../../manifest/hosted-setups.ts';
import { createConnectWiseClient } from '../../server/connectwise/index.ts';
import { registrationClient } from '../../server/registration/cw-adapter.ts';
import { formatReport, register } from '../../server/registration/register.ts';
import { demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import { type Harness, harness, sandboxSetup } from './setup-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.close());

const publicUrl = 'https://pod.example.com';
const key = 'Tk_0123456789abcdefghijklmnopqrstu';
const manifest = manifestFor(key);

function cwClient() {
  return registrationClient(
    createConnectWiseClient({
      apiBaseUrl: 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0',
      companyId: demoCwCredentials.companyId,
      clientId: demoCwCredentials.clientId,
      auth: {
        kind: 'apiKey',
        publicKey: demoCwCredentials.publicKey,
        privateKey: demoCwCredentials.privateKey,
      },
      fetch: h.deps.fetch,
    }),
  );
}

const summary = (setups: { screenId: number; type: string; url: string; origin?: string | undefined }[]) =>
  setups.map((s) => `${s.screenId} ${s.type} ${s.url} ${s.origin ?? ''}`).sort();

describe('register against the emulated ConnectWise', () => {
  it('creates the pods, tabs and menu entry once; a second run changes nothing', async () => {
    const cw = cwClient();
    const before = await cw.hostedSetups.all();
    const first = await register({ cw, manifest, publicUrl });
    expect(first.counts).toEqual({ create: 8, update: 0, unchanged: 0, 'missing-screen': 0, remove: 0 });
    const afterFirst = await cw.hostedSetups.all();
    expect(afterFirst.length).toBe(before.length + 7);
    const ours = afterFirst.filter((s) => s.origin === 'https://pod.example.com');
    expect(summary(ours)).toEqual([
      '1 Pod https://pod.example.com/pod?t=Tk_0123456789abcdefghijklmnopqrstu&screen=[cw_screen]&id=[cw_id] https://pod.example.com',
      '1 Tab https://pod.example.com/app?t=Tk_0123456789abcdefghijklmnopqrstu&section=board&company=[cw_id] https://pod.example.com',
      '1 Tab https://pod.example.com/pod?t=Tk_0123456789abcdefghijklmnopqrstu&screen=[cw_screen]&id=[cw_id]&view=tab https://pod.example.com',
      '7 Pod https://pod.example.com/pod?t=Tk_0123456789abcdefghijklmnopqrstu&screen=[cw_screen]&id=[cw_id] https://pod.example.com',
      '7 Tab https://pod.example.com/pod?t=Tk_0123456789abcdefghijklmnopqrstu&screen=[cw_screen]&id=[cw_id]&view=tab https://pod.example.com',
      '8 Pod https://pod.example.com/pod?t=Tk_0123456789abcdefghijklmnopqrstu&screen=[cw_screen]&id=[cw_id] https://pod.example.com',
      '8 Tab https://pod.example.com/pod?t=Tk_0123456789abcdefghijklmnopqrstu&screen=[cw_screen]&id=[cw_id]&view=tab https://pod.example.com',
    ]);
    const menu = await cw.menuEntries.all();
    expect(
      menu
        .filter((m) => m.link === `https://pod.example.com/app?t=${key}`)
        .map((m) => [m.menuLocation, m.caption]),
    ).toEqual([['Companies', 'Pax8']]);

    const second = await register({ cw, manifest, publicUrl });
    expect(second.counts).toEqual({ create: 0, update: 0, unchanged: 8, 'missing-screen': 0, remove: 0 });
    expect(summary(await cw.hostedSetups.all())).toEqual(summary(afterFirst));
    expect((await cw.menuEntries.all()).length).toBe(menu.length);
  });

  it('re-registering with the tenant key updates a registration made before the key, in place', async () => {
    const cw = cwClient();
    // What an earlier version registered: the same entries with keyless URLs.
    const keyless = {
      hostedSetups: legacy.hostedSetups.map((s) => ({ ...s, url: s.url.replace('t={tenantKey}&', '') })),
      menuEntries: legacy.menuEntries.map((m) => ({ ...m, link: m.link.replace('?t={tenantKey}', '') })),
    };
    await register({ cw, manifest: keyless, publicUrl });
    const before = await cw.hostedSetups.all();
    const report = await register({ cw, manifest, publicUrl });
    expect(report.counts).toEqual({ create: 0, update: 8, unchanged: 0, 'missing-screen': 0, remove: 0 });
    const after = await cw.hostedSetups.all();
    expect(after.map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort());
    const ours = after.filter((s) => s.origin === 'https://pod.example.com');
    // Six pods and tabs, and the board's tab (issue 11) on the company screen.
    expect(ours).toHaveLength(7);
    expect(
      ours.every(
        (s) =>
          s.url.startsWith(`https://pod.example.com/pod?t=${key}&screen=[cw_screen]`) ||
          s.url === `https://pod.example.com/app?t=${key}&section=board&company=[cw_id]`,
      ),
    ).toBe(true);
    expect(
      (await cw.menuEntries.all()).filter((m) => m.link.startsWith(publicUrl)).map((m) => m.link),
    ).toEqual([`https://pod.example.com/app?t=${key}`]);
    expect((await register({ cw, manifest, publicUrl })).counts.unchanged).toBe(8);
    expect(template.hostedSetups[0]!.url).toContain('{tenantKey}');
  });

  it('a dry run reports without writing', async () => {
    const cw = cwClient();
    const before = await cw.hostedSetups.all();
    const report = await register({ cw, manifest, publicUrl, dryRun: true });
    expect(report.counts.create).toBe(8);
    expect(report.rows.every((r) => !r.applied)).toBe(true);
    expect((await cw.hostedSetups.all()).length).toBe(before.length);
  });

  it('--remove removes only ours', async () => {
    const cw = cwClient();
    const foreign = await cw.hostedSetups.create({
      screenId: 1,
      description: 'Other vendor',
      url: 'https://other.example/pod',
      origin: 'https://other.example',
      type: 'Pod',
      disabledFlag: false,
    });
    const before = await cw.hostedSetups.all();
    await register({ cw, manifest, publicUrl });
    const removal = await register({ cw, manifest, publicUrl, remove: true });
    expect(removal.counts.remove).toBe(8);
    const after = await cw.hostedSetups.all();
    expect(summary(after)).toEqual(summary(before));
    expect(after.some((s) => s.id === foreign.id)).toBe(true);
    expect((await cw.menuEntries.all()).filter((m) => m.link.startsWith(publicUrl))).toEqual([]);
  });

  it('reports a screen the instance does not offer, and registers the rest', async () => {
    const real = cwClient();
    const cw = {
      ...real,
      hostedScreens: async () => (await real.hostedScreens()).filter((s) => s.name !== 'AgreementDetail'),
    };
    const report = await register({ cw, manifest, publicUrl });
    expect(report.counts).toEqual({ create: 6, update: 0, unchanged: 0, 'missing-screen': 2, remove: 0 });
    expect(formatReport(report)).toContain(
      "missing-screen Pod 'Pax8' on AgreementDetail — this ConnectWise instance does not offer that screen",
    );
  });
});

describe('POST /api/setup/register (the "Create Tab in ConnectWise" button)', () => {
  it('needs a session', async () => {
    expect((await h.post('/api/setup/register', {})).status).toBe(401);
  });

  it('registers with the tenant keys, idempotently', async () => {
    const saved = await (await h.post('/api/setup', sandboxSetup())).json();
    const first = await (await h.post('/api/setup/register', {}, saved.token)).json();
    expect(first.counts.create).toBe(8);
    expect(first.publicUrl).toBe('https://pod.example.com');
    const second = await (await h.post('/api/setup/register', {}, saved.token)).json();
    expect(second.counts.unchanged).toBe(8);
  });
});
