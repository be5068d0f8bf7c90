// What this product registers in a ConnectWise instance: a pod and a full-width tab on each record
// screen it works on, and the "Pax8" entry in the Companies menu. URLs are templates over {publicUrl}.
export type ScreenName = 'AgreementDetail' | 'CompanyDetail' | 'CompanyFinanceDetail';

export type HostedSetupSpec = {
  /** The screen's Client_Api_ID in the instance's ConnectWiseHostedApiScreen report. */
  screen: ScreenName;
  type: 'Pod' | 'Tab';
  /** Shown as the pod or tab title in ConnectWise (max 50). */
  description: string;
  /** `{publicUrl}` is replaced at registration; `[cw_screen]` and `[cw_id]` by ConnectWise at load. */
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

const podUrl = '{publicUrl}/pod?screen=[cw_screen]&id=[cw_id]';
const tabUrl = `${podUrl}&view=tab`;

export const manifest: Manifest = {
  hostedSetups: [
    { screen: 'AgreementDetail', type: 'Pod', description: 'Pax8', url: podUrl, podHeight: 420 },
    { screen: 'CompanyDetail', type: 'Pod', description: 'Pax8', url: podUrl, podHeight: 360 },
    { screen: 'CompanyFinanceDetail', type: 'Pod', description: 'Pax8', url: podUrl, podHeight: 420 },
    { screen: 'AgreementDetail', type: 'Tab', description: 'Pax8 Subscriptions', url: tabUrl },
    { screen: 'CompanyDetail', type: 'Tab', description: 'Pax8 Subscriptions', url: tabUrl },
    { screen: 'CompanyFinanceDetail', type: 'Tab', description: 'Pax8 Subscriptions', url: tabUrl },
  ],
  menuEntries: [
    { menuLocation: 'Companies', caption: 'Pax8', link: '{publicUrl}/app', newWindowFlag: false },
  ],
};

/** Fills `{publicUrl}` (without a trailing slash) into a manifest URL. */
export function expandUrl(template: string, publicUrl: string): string {
  return template.replaceAll('{publicUrl}', publicUrl.replace(/\/+$/, ''));
}
