// The app's models together: sections, companies and the audit, each loaded the first time its section
// shows (the audit again whenever it is shown later, as a sync may have changed it), and the bridge's openScreen.
import { effect, type ReadonlySignal } from '@preact/signals';
import type { HostBridge } from '../host/bridge.ts';
import type { Api } from './api.ts';
import { type AuditModel, createAuditModel } from './app-audit-model.ts';
import { type CompaniesModel, createCompaniesModel } from './app-companies-model.ts';
import { createNavModel, type NavModel, type Section } from './app-nav-model.ts';
import { type BoardModel, createBoardModel } from './board-model.ts';

export type AppRoot = {
  nav: NavModel;
  board: BoardModel;
  audit: AuditModel;
  companies: CompaniesModel;
  /** Starts loading what the open section needs, now and on every section change. */
  start(): () => void;
  /** Starts once the session is signed in, at the first attempt or after a retry. */
  startWhenSignedIn(state: ReadonlySignal<{ status: string }>): () => void;
  /** ConnectWise opens the company screen (the app's "Open in ConnectWise"). */
  openCompany(cwCompanyId: number): void;
  /** Companies section, unbound, searched for a Pax8 company's name (from an audit row). */
  findCompany(name: string): void;
};

export type AppRootDeps = {
  api: Api;
  bridge?: Pick<HostBridge, 'openScreen'>;
  initial?: { section?: Section; company?: number };
};

export function createAppRoot({ api, bridge, initial = {} }: AppRootDeps): AppRoot {
  const nav = createNavModel(initial);
  const audit = createAuditModel({ api });
  // Opened from the company screen's tab, the board shows that company.
  const board = createBoardModel({ api, company: initial.section === 'board' ? initial.company : undefined });
  const companies = createCompaniesModel({ api });
  let companiesAsked = false;

  const ensure = (section: Section) => {
    if (section === 'board') {
      // Kept on the server: every visit reads it again (cheap), and it polls while the server works on it.
      void board.load();
    } else if (section === 'unsynced') {
      // The first time it loads; later visits refresh it, since a sync elsewhere may have changed it.
      void audit.load();
    } else if (!companiesAsked) {
      companiesAsked = true;
      void companies.load();
    }
  };

  return {
    nav,
    board,
    audit,
    companies,
    start() {
      return effect(() => ensure(nav.section.value));
    },
    startWhenSignedIn(state) {
      let stopSections: (() => void) | undefined;
      const stopWatching = effect(() => {
        if (stopSections || state.value.status !== 'signed-in') return;
        stopSections = effect(() => ensure(nav.section.value));
      });
      return () => {
        stopWatching();
        stopSections?.();
      };
    },
    openCompany(cwCompanyId) {
      void bridge?.openScreen({ screen: 'company', id: cwCompanyId }).catch(() => undefined);
    },
    findCompany(name) {
      companies.setFilter('unbound');
      companies.setSearch(name);
      nav.show('companies');
    },
  };
}
