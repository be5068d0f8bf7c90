// Pure registration planning: given the manifest, our public URL, what the instance already has and
// which screens it offers, decide per item create / update / unchanged / missing-screen (or remove).
import type { HostedSetupSpec, Manifest, MenuEntrySpec } from '../../manifest/hosted-setups.ts';
import { expandUrl } from '../../manifest/hosted-setups.ts';

export type ExistingSetup = {
  id: number;
  screenId: number;
  description: string;
  url: string;
  type: string;
  origin?: string | undefined;
  podHeight?: number | undefined;
  disabledFlag?: boolean | undefined;
};

export type ExistingMenuEntry = {
  id: number;
  menuLocation: string;
  caption: string;
  link: string;
  origin?: string | undefined;
  newWindowFlag?: boolean | undefined;
};

export type HostedScreen = { id: number; name: string };

export type SetupBody = {
  screenId: number;
  description: string;
  url: string;
  type: 'Pod' | 'Tab';
  origin: string;
  disabledFlag: false;
  podHeight?: number;
};

export type MenuEntryBody = {
  menuLocation: string;
  caption: string;
  link: string;
  origin: string;
  newWindowFlag: boolean;
};

export type SetupStep =
  | { kind: 'setup'; action: 'create'; spec: HostedSetupSpec; body: SetupBody }
  | { kind: 'setup'; action: 'update'; id: number; spec: HostedSetupSpec; body: SetupBody }
  | { kind: 'setup'; action: 'unchanged'; id: number; spec: HostedSetupSpec }
  | { kind: 'setup'; action: 'missing-screen'; spec: HostedSetupSpec }
  | { kind: 'setup'; action: 'remove'; id: number; existing: ExistingSetup };

export type MenuStep =
  | { kind: 'menu'; action: 'create'; spec: MenuEntrySpec; body: MenuEntryBody }
  | { kind: 'menu'; action: 'update'; id: number; spec: MenuEntrySpec; body: MenuEntryBody }
  | { kind: 'menu'; action: 'unchanged'; id: number; spec: MenuEntrySpec }
  | { kind: 'menu'; action: 'remove'; id: number; existing: ExistingMenuEntry };

export type RegistrationStep = SetupStep | MenuStep;

export type Existing = { setups: ExistingSetup[]; menuEntries: ExistingMenuEntry[] };

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Whether a record was put there by this product (so --remove may delete it and planning may adopt it). */
function ours(publicUrl: string, origin: string | undefined, url: string): boolean {
  const base = trimSlash(publicUrl);
  const ownOrigin = new URL(base).origin;
  return trimSlash(origin ?? '') === ownOrigin || url === base || url.startsWith(`${base}/`);
}

export function planRegistration(
  manifest: Manifest,
  publicUrl: string,
  existing: Existing,
  screens: HostedScreen[],
): RegistrationStep[] {
  const origin = new URL(publicUrl).origin;
  const steps: RegistrationStep[] = [];
  const claimed = new Set<number>();

  for (const spec of manifest.hostedSetups) {
    const screen = screens.find((s) => s.name.toLowerCase() === spec.screen.toLowerCase());
    if (!screen) {
      steps.push({ kind: 'setup', action: 'missing-screen', spec });
      continue;
    }
    const body: SetupBody = {
      screenId: screen.id,
      description: spec.description,
      url: expandUrl(spec.url, publicUrl),
      type: spec.type,
      origin,
      disabledFlag: false,
      ...(spec.podHeight === undefined ? {} : { podHeight: spec.podHeight }),
    };
    const candidates = existing.setups.filter(
      (s) => !claimed.has(s.id) && s.screenId === screen.id && s.type === spec.type,
    );
    const match =
      candidates.find((s) => s.url.trim() === body.url) ??
      candidates.find((s) => s.description === spec.description && ours(publicUrl, s.origin, s.url));
    if (!match) {
      steps.push({ kind: 'setup', action: 'create', spec, body });
      continue;
    }
    claimed.add(match.id);
    const same =
      match.url.trim() === body.url &&
      match.description === body.description &&
      trimSlash(match.origin ?? '') === origin &&
      match.disabledFlag !== true &&
      (spec.podHeight === undefined || match.podHeight === spec.podHeight);
    steps.push(
      same
        ? { kind: 'setup', action: 'unchanged', id: match.id, spec }
        : { kind: 'setup', action: 'update', id: match.id, spec, body },
    );
  }

  const claimedMenu = new Set<number>();
  for (const spec of manifest.menuEntries) {
    const body: MenuEntryBody = {
      menuLocation: spec.menuLocation,
      caption: spec.caption,
      link: expandUrl(spec.link, publicUrl),
      origin,
      newWindowFlag: spec.newWindowFlag,
    };
    const candidates = existing.menuEntries.filter(
      (m) => !claimedMenu.has(m.id) && m.menuLocation.toLowerCase() === spec.menuLocation.toLowerCase(),
    );
    const match =
      candidates.find((m) => m.link.trim() === body.link) ??
      candidates.find((m) => m.caption === spec.caption && ours(publicUrl, m.origin, m.link));
    if (!match) {
      steps.push({ kind: 'menu', action: 'create', spec, body });
      continue;
    }
    claimedMenu.add(match.id);
    const same =
      match.link.trim() === body.link &&
      match.caption === body.caption &&
      (match.newWindowFlag ?? false) === body.newWindowFlag;
    steps.push(
      same
        ? { kind: 'menu', action: 'unchanged', id: match.id, spec }
        : { kind: 'menu', action: 'update', id: match.id, spec, body },
    );
  }
  return steps;
}

/** The removal plan: every setup and menu entry of ours, and nothing else. */
export function planRemoval(publicUrl: string, existing: Existing): RegistrationStep[] {
  return [
    ...existing.setups
      .filter((s) => ours(publicUrl, s.origin, s.url.trim()))
      .map((s): RegistrationStep => ({ kind: 'setup', action: 'remove', id: s.id, existing: s })),
    ...existing.menuEntries
      .filter((m) => ours(publicUrl, m.origin, m.link.trim()))
      .map((m): RegistrationStep => ({ kind: 'menu', action: 'remove', id: m.id, existing: m })),
  ];
}
