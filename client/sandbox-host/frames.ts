// Which pods and tabs a screen shows: the registered hosted setups for its screen id, with the URL
// tokens substituted and the pod moved to the other loopback host, so it runs cross-origin as in CW.
import type { HostedSetup } from './cw-rest.ts';

export type ScreenKind = 'agreement' | 'company' | 'companyfinance';
export type FrameSpec = {
  key: string;
  description: string;
  type: 'Pod' | 'Tab';
  src: string;
  origin: string;
  height: number;
  registered: boolean;
};

export const screenReportNames: Record<ScreenKind, string> = {
  agreement: 'AgreementDetail',
  company: 'CompanyDetail',
  companyfinance: 'CompanyFinanceDetail',
};

const loopback = ['localhost', '127.0.0.1'];

/** localhost ↔ 127.0.0.1, so the pod is a different origin from the host page; other hosts stay. */
export function crossOriginUrl(url: string, hostPage: URL): URL {
  const target = new URL(url, hostPage);
  if (loopback.includes(target.hostname) && loopback.includes(hostPage.hostname)) {
    target.hostname = hostPage.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  }
  return target;
}

export function substitute(url: string, screen: ScreenKind, id: number): string {
  return url.replaceAll('[cw_id]', String(id)).replaceAll('[cw_screen]', screen);
}

/** Our pod's URL as registration writes it: `?t=<tenant key>&…` first (nothing without a key). */
const keyed = (path: string, tenantKey: string | undefined) =>
  tenantKey ? path.replace('?', `?t=${encodeURIComponent(tenantKey)}&`) : path;

export function framesFor(
  setups: HostedSetup[],
  screens: Map<number, string>,
  screen: ScreenKind,
  id: number,
  hostPage: URL,
  tenantKey?: string,
): FrameSpec[] {
  const wanted = screenReportNames[screen].toLowerCase();
  const registered = setups.filter(
    (s) =>
      !s.disabledFlag && screens.get(s.screenId)?.toLowerCase() === wanted && /^(pod|tab)$/i.test(s.type),
  );
  // With nothing registered yet the sandbox still shows our pod and tab, marked as unregistered.
  const list: (Omit<FrameSpec, 'src' | 'origin'> & { url: string })[] = registered.length
    ? registered.map((s) => ({
        key: `setup-${s.id}`,
        description: s.description,
        type: /^tab$/i.test(s.type) ? ('Tab' as const) : ('Pod' as const),
        url: s.url,
        // A tab fills the screen in ConnectWise; podHeight applies to pods.
        height: s.podHeight || (/^tab$/i.test(s.type) ? 760 : 400),
        registered: true,
      }))
    : [
        {
          key: 'default-pod',
          description: 'Pax8',
          type: 'Pod',
          url: keyed('/pod?screen=[cw_screen]&id=[cw_id]', tenantKey),
          height: 420,
          registered: false,
        },
        {
          key: 'default-tab',
          description: 'Pax8',
          type: 'Tab',
          url: keyed('/pod?screen=[cw_screen]&id=[cw_id]&view=tab', tenantKey),
          height: 600,
          registered: false,
        },
      ];
  return list.map(({ url, ...rest }) => {
    const target = crossOriginUrl(substitute(url, screen, id), hostPage);
    return { ...rest, src: target.toString(), origin: target.origin };
  });
}

/** The page of a custom menu entry, framed cross-origin like the pods; height fills the main area. */
export function menuFrame(
  entry: { id: number; caption: string; link: string },
  hostPage: URL,
  registered: boolean,
): FrameSpec {
  const target = crossOriginUrl(entry.link, hostPage);
  return {
    key: `menu-${entry.id}`,
    description: entry.caption,
    type: 'Tab',
    src: target.toString(),
    origin: target.origin,
    height: 760,
    registered,
  };
}

/** Menu entries under a location (case-insensitive); with none registered, our default "Pax8" entry. */
export function menuEntriesAt<E extends { id: number; menuLocation: string; caption: string; link: string }>(
  entries: readonly E[],
  location: string,
  tenantKey?: string,
): { entry: Pick<E, 'id' | 'caption' | 'link'>; registered: boolean }[] {
  const here = entries.filter((e) => e.menuLocation.toLowerCase() === location.toLowerCase());
  if (here.length) return here.map((entry) => ({ entry, registered: true }));
  const link = tenantKey ? `/app?t=${encodeURIComponent(tenantKey)}` : '/app';
  return [{ entry: { id: 0, caption: 'Pax8', link }, registered: false }];
}
