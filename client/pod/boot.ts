// Wires the pod: the allow-list from the server (the origins of the tenant the URL's `t` key names), the
// bridge to our parent, the API client and the session model. The one place the pod reads `window`,
// `document` and `location`.

import * as v from 'valibot';
import { createHostBridge, type HostBridge } from '../host/bridge.ts';
import { type Api, createApi } from '../state/api.ts';
import { type PodConfig, PodConfigSchema } from '../state/schemas.ts';
import { createSessionModel, type SessionModel, tenantKeyOf } from '../state/session-model.ts';

export type PodBoot = { model: SessionModel; api: Api; bridge: HostBridge };

/** The page's inline pod config (server/app.ts), checked like the API's answer; null when absent or bad. */
export function inlineConfig(text: string | null | undefined): PodConfig | null {
  if (!text) return null;
  try {
    const parsed = v.safeParse(PodConfigSchema, JSON.parse(text));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

export async function bootPod(): Promise<PodBoot> {
  const baseUrl = location.origin;
  const key = tenantKeyOf(location.href) ?? '';
  // The server writes the config into the page (no round trip before the handshake); a page without it
  // (an unknown key, the dev server) asks for it.
  const config =
    inlineConfig(document.getElementById('pod-config')?.textContent) ??
    (await createApi({ baseUrl, getToken: () => undefined }).request(
      'GET',
      `/api/pod-config?t=${encodeURIComponent(key)}`,
      { auth: false, schema: PodConfigSchema },
    ));
  const bridge = createHostBridge({
    target: window.parent,
    self: window,
    allowedOrigins: config.hostOrigins,
    // Chromium still tells a framed page its parent's origin when the referrer is withheld.
    referrer: document.referrer || location.ancestorOrigins?.[0],
  });
  let model: SessionModel | undefined;
  const api = createApi({ baseUrl, getToken: () => model?.token(), renewToken: async () => model?.renew() });
  model = createSessionModel({ bridge, api, url: location.href, firstView: true });
  return { model, api, bridge };
}
