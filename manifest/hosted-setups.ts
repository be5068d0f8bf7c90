// What this product registers in a ConnectWise instance: a pod and a full-width tab on each record
// screen it works on, and the "Pax8" entry in the Companies menu. URLs are templates over {publicUrl} and
// {tenantKey}: the pod URL names its tenant, so the page, its CSP and its bridge know that tenant's origins.
export type ScreenName = 'AgreementDetail' | 'CompanyDetail' | 'CompanyFinanceDetail';

export type HostedSetupSpec = {
  /** The screen's Client_Api_ID in the instance's ConnectWiseHostedApiScreen report. */
  screen: ScreenName;
  type: 'Pod' | 'Tab';
  /** Shown as the pod or tab title in ConnectWise (max 50). */
  description: string;
  /** `{publicUrl}`, `{tenantKey}` are replaced at registration; `[cw_screen]` and `[cw_id]` by ConnectWise at load. */
  url: string;
  podHeight?: number;
};

export type MenuEntrySpec = {
  menuLocation: 'Companies';
  caption: string;
  link: string;
  newWindowFlag: boolean;
};

export type Manifest = { hostedSetups: HostedSetupSpec[]; menuEntries: MenuEntrySpec[] };

const podUrl = '{publicUrl}/pod?t={tenantKey}&screen=[cw_screen]&id=[cw_id]';
const tabUrl = `${podUrl}&view=tab`;
/** The reconciliation board (issue 11), opened on the company of the screen: the app's home, as a tab. */
const boardTabUrl = '{publicUrl}/app?t={tenantKey}&section=board&company=[cw_id]';

export const manifest: Manifest = {
  hostedSetups: [
    { screen: 'AgreementDetail', type: 'Pod', description: 'Pax8', url: podUrl, podHeight: 420 },
    { screen: 'CompanyDetail', type: 'Pod', description: 'Pax8', url: podUrl, podHeight: 360 },
    { screen: 'CompanyFinanceDetail', type: 'Pod', description: 'Pax8', url: podUrl, podHeight: 420 },
    { screen: 'AgreementDetail', type: 'Tab', description: 'Pax8 Subscriptions', url: tabUrl },
    { screen: 'CompanyDetail', type: 'Tab', description: 'Pax8 Subscriptions', url: tabUrl },
    { screen: 'CompanyFinanceDetail', type: 'Tab', description: 'Pax8 Subscriptions', url: tabUrl },
    { screen: 'CompanyDetail', type: 'Tab', description: 'Pax8 Board', url: boardTabUrl },
  ],
  menuEntries: [
    {
      menuLocation: 'Companies',
      caption: 'Pax8',
      link: '{publicUrl}/app?t={tenantKey}',
      newWindowFlag: false,
    },
  ],
};

/** The manifest of one tenant: `{tenantKey}` filled in (a base64url key needs no escaping in a URL). */
export function manifestFor(tenantKey: string): Manifest {
  const fill = (url: string) => url.replaceAll('{tenantKey}', encodeURIComponent(tenantKey));
  return {
    hostedSetups: manifest.hostedSetups.map((s) => ({ ...s, url: fill(s.url) })),
    menuEntries: manifest.menuEntries.map((m) => ({ ...m, link: fill(m.link) })),
  };
}

/** Fills `{publicUrl}` (without a trailing slash) into a manifest URL. */
export function expandUrl(template: string, publicUrl: string): string {
  return template.replaceAll('{publicUrl}', publicUrl.replace(/\/+$/, ''));
}
