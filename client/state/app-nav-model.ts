// Which section of the app is open, and the company the Subscriptions section shows.
import { type ReadonlySignal, signal } from '@preact/signals';

/** The board (issue 11) first: it is the app's home. */
export const SECTIONS = ['board', 'companies', 'subscriptions', 'unsynced'] as const;
export type Section = (typeof SECTIONS)[number];

export type NavModel = {
  section: ReadonlySignal<Section>;
  /** The ConnectWise company whose subscriptions are shown. */
  company: ReadonlySignal<number | undefined>;
  show(section: Section): void;
  showSubscriptions(cwCompanyId: number | undefined): void;
};

export function sectionOf(raw: string | null | undefined): Section {
  return SECTIONS.find((s) => s === raw) ?? 'board';
}

export function createNavModel(initial: { section?: Section; company?: number } = {}): NavModel {
  const section = signal<Section>(initial.section ?? 'board');
  const company = signal<number | undefined>(initial.company);
  return {
    section,
    company,
    show(next) {
      section.value = next;
    },
    showSubscriptions(cwCompanyId) {
      company.value = cwCompanyId;
      section.value = 'subscriptions';
    },
  };
}
