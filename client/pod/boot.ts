// Wires the pod: the allow-list from the server (the origins of the tenant the URL's `t` key names), the
// bridge to our parent, the API client and the session model. The one place the pod reads `window`,
// `document` and `location`.
import { createHostBridge, type HostBridge } from '../host/bridge.ts';
import { type Api, createApi } from '../state/api.ts';
import { PodConfigSchema } from '../state/schemas.ts';
import { createSessionModel, type SessionModel, tenantKeyOf } from '../state/session-model.ts';

export type PodBoot = { model: SessionModel; api: Api; bridge: HostBridge };

export async function bootPod(): Promise<PodBoot> {
  const baseUrl = location.origin;
  const key = tenantKeyOf(location.href) ?? '';
  const config = await createApi({ baseUrl, getToken: () => undefined }).request(
    'GET',
    `/api/pod-config?t=${encodeURIComponent(key)}`,
    { auth: false, schema: PodConfigSchema },
  );
  const bridge = createHostBridge({
    target: window.parent,
    self: window,
    allowedOrigins: config.hostOrigins,
    // Chromium still tells a framed page its parent's origin when the referrer is withheld.
    referrer: document.referrer || location.ancestorOrigins?.[0],
  });
  let model: SessionModel | undefined;
  const api = createApi({ baseUrl, getToken: () => model?.token(), renewToken: async () => model?.renew() });
  model = createSessionModel({ bridge, api, url: location.href });
  return { model, api, bridge };
}
