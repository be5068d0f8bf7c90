// The sandbox host page's state: which screen and record is open, the records to pick from, the
// registered pods and tabs, save/back with the pods' acknowledgements, and the protocol log.
import { computed, signal } from '@preact/signals';
import type { MemberAuthentication } from '../host/protocol.ts';
import type { Agreement, Company, CwRest, HostedSetup, MenuEntry } from './cw-rest.ts';
import { framesFor, type ScreenKind } from './frames.ts';
import type { AckResult, HostEndpoint, LogEntry } from './host-endpoint.ts';

export type Message = { tone: 'ok' | 'error' | 'warn'; text: string; details?: string[] };

function screenFromUrl(url: URL): { kind: ScreenKind; id: number | undefined } {
  const raw = (url.searchParams.get('screen') ?? 'agreement').toLowerCase();
  const kind: ScreenKind = raw === 'company' || raw === 'companyfinance' ? raw : 'agreement';
  const id = Number(url.searchParams.get('id'));
  return { kind, id: Number.isInteger(id) && id > 0 ? id : undefined };
}

export function createHostModel(rest: CwRest, pageUrl: URL) {
  const initial = screenFromUrl(pageUrl);
  const kind = signal<ScreenKind>(initial.kind);
  const recordId = signal<number | undefined>(initial.id);
  const agreements = signal<Agreement[]>([]);
  const companies = signal<Company[]>([]);
  const setups = signal<HostedSetup[]>([]);
  const screens = signal<Map<number, string>>(new Map());
  const status = signal<'loading' | 'ready' | 'failed'>('loading');
  const loadError = signal('');
  const tab = signal('record');
  const dirty = signal<string[]>([]);
  const message = signal<Message | undefined>(undefined);
  const log = signal<LogEntry[]>([]);
  const loads = signal(0);
  const menuEntries = signal<MenuEntry[]>([]);
  /** The custom menu entry open in the main area instead of a record screen (its id). */
  const menu = signal<number | undefined>(Number(pageUrl.searchParams.get('menu')) || undefined);
  const endpoints = new Map<string, HostEndpoint>();
  let email: Promise<string | undefined> | undefined;

  const agreement = computed(() => agreements.value.find((a) => a.id === recordId.value));
  const company = computed(() => companies.value.find((c) => c.id === recordId.value));
  const frames = computed(() =>
    recordId.value === undefined
      ? []
      : framesFor(
          setups.value,
          screens.value,
          kind.value,
          recordId.value,
          pageUrl,
          rest.credentials.tenantKey,
        ),
  );

  const syncUrl = () => {
    const url = new URL(location.href);
    url.searchParams.set('screen', kind.value);
    if (recordId.value !== undefined) url.searchParams.set('id', String(recordId.value));
    if (menu.value === undefined) url.searchParams.delete('menu');
    else url.searchParams.set('menu', String(menu.value));
    history.replaceState(null, '', url);
  };

  const firstIdOf = (k: ScreenKind) =>
    k === 'agreement'
      ? (agreements.value.find((a) => a.name === 'Ace Monthly') ?? agreements.value[0])?.id
      : companies.value[0]?.id;

  const load = async () => {
    status.value = 'loading';
    // The member's email is what the pod's getMemberAuthentication waits on: asked now, beside the screen's
    // reads, it is there when the framed pod signs in.
    email ??= rest.memberEmail().catch(() => undefined);
    try {
      const [a, c, s, sc, m] = await Promise.all([
        rest.agreements(),
        rest.companies(),
        rest.setups(),
        rest.screens(),
        // An instance without menu entries (or a host without the call) still shows its screens.
        rest.menuEntries?.().catch(() => []) ?? [],
      ]);
      menuEntries.value = m;
      agreements.value = a;
      companies.value = c;
      setups.value = s;
      screens.value = sc;
      recordId.value ??= firstIdOf(kind.value);
      status.value = 'ready';
      syncUrl();
    } catch (err) {
      loadError.value = err instanceof Error ? err.message : String(err);
      status.value = 'failed';
    }
  };

  const fireAll = async (event: 'beforeSave' | 'beforeBack'): Promise<string[]> => {
    const acks: AckResult[] = await Promise.all([...endpoints.values()].map((e) => e.fire(event)));
    return acks.flatMap((a) => (a.result === 'failure' ? a.errors : []));
  };

  return {
    kind,
    recordId,
    agreements,
    companies,
    agreement,
    company,
    frames,
    status,
    loadError,
    tab,
    dirty,
    message,
    log,
    loads,
    menuEntries,
    menu,
    endpoints,
    load,
    credentials: rest.credentials,
    select(k: ScreenKind, id?: number) {
      kind.value = k;
      recordId.value = id ?? firstIdOf(k);
      tab.value = 'record';
      dirty.value = [];
      message.value = undefined;
      menu.value = undefined;
      syncUrl();
    },
    /** Opens a custom menu entry in the main area, as ConnectWise does with its link. */
    openMenu(id: number) {
      menu.value = id;
      dirty.value = [];
      message.value = undefined;
      syncUrl();
    },
    /** refreshScreen: reload the screen's data, then onLoad fires again in every frame. */
    async refresh() {
      await load();
      loads.value++;
    },
    setDirty(frame: string, isDirty: boolean) {
      const others = dirty.value.filter((f) => f !== frame);
      dirty.value = isDirty ? [...others, frame] : others;
    },
    async save() {
      const errors = await fireAll('beforeSave');
      message.value = errors.length
        ? { tone: 'error', text: 'The screen was not saved:', details: errors }
        : { tone: 'ok', text: 'Saved.' };
      if (!errors.length) dirty.value = [];
    },
    async back() {
      const errors = await fireAll('beforeBack');
      message.value = errors.length
        ? { tone: 'warn', text: 'A pod asked to stay on this screen:', details: errors }
        : { tone: 'ok', text: 'The pods allowed leaving the screen (the sandbox stays here).' };
    },
    addLog(entry: Omit<LogEntry, 'at'>) {
      log.value = [...log.value.slice(-199), { ...entry, at: Date.now() }];
    },
    async memberAuthentication(): Promise<MemberAuthentication> {
      email ??= rest.memberEmail().catch(() => undefined);
      const memberEmail = await email;
      return {
        site: location.origin,
        companyid: rest.credentials.companyId,
        memberid: rest.credentials.member.id,
        memberHash: rest.credentials.member.hash,
        memberContext: 'web',
        ...(memberEmail ? { memberEmail } : {}),
      };
    },
  };
}

export type HostModel = ReturnType<typeof createHostModel>;
