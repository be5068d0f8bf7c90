// Adapts the ConnectWise client to what registration needs: menu locations may come back as a
// reference {id, name} or a plain name; registration compares names.
import type { ConnectWiseClient } from '../connectwise/index.ts';
import type { RegistrationClient } from './register.ts';

export function registrationClient(cw: ConnectWiseClient): RegistrationClient {
  return {
    hostedSetups: {
      all: async () =>
        (await cw.hostedSetups.all()).map((s) => ({
          id: s.id,
          screenId: s.screenId,
          description: s.description,
          url: s.url,
          type: s.type,
          origin: s.origin ?? undefined,
          podHeight: s.podHeight ?? undefined,
          disabledFlag: s.disabledFlag ?? undefined,
        })),
      create: async (body) => ({ id: (await cw.hostedSetups.create(body)).id }),
      update: (id, body) => cw.hostedSetups.update(id, body),
      delete: (id) => cw.hostedSetups.delete(id),
    },
    menuEntries: {
      all: async () =>
        (await cw.menuEntries.all()).map((m) => ({
          id: m.id,
          caption: m.caption,
          link: m.link,
          menuLocation: typeof m.menuLocation === 'string' ? m.menuLocation : (m.menuLocation?.name ?? ''),
          origin: m.origin ?? undefined,
          newWindowFlag: m.newWindowFlag ?? undefined,
        })),
      create: async (body) => ({ id: (await cw.menuEntries.create(body)).id }),
      update: (id, body) => cw.menuEntries.update(id, body),
      delete: (id) => cw.menuEntries.delete(id),
    },
    hostedScreens: () => cw.hostedScreens(),
  };
}
