// The record the pod is looking at: from onLoad's screenObject (preferred) or the URL tokens ConnectWise
// substitutes into the setup url (`/pod?screen=[cw_screen]&id=[cw_id]`, §1.3).
import type { ScreenObject } from './protocol.ts';

export type RecordKind = 'agreement' | 'company' | 'company-finance';
export type PodContext = {
  kind: RecordKind;
  id: number;
  hostedAs: 'pod' | 'tab';
  source: 'onLoad' | 'url';
};
export type ContextResult =
  | { ok: true; context: PodContext }
  | { ok: false; reason: 'missing' | 'unsupported-screen' | 'bad-id'; screen?: string };

// Screen names differ by source (`company` in the readme, `CompanyDetail` in the screens report,
// capitalised in some ports), so they are compared case-insensitively without spaces or separators.
const kinds: Record<string, RecordKind> = {
  agreement: 'agreement',
  agreements: 'agreement',
  agreementdetail: 'agreement',
  company: 'company',
  companydetail: 'company',
  companyfinance: 'company-finance',
  companyfinancedetail: 'company-finance',
};

export function kindOfScreen(screen: string): RecordKind | undefined {
  return kinds[screen.toLowerCase().replace(/[\s_-]/g, '')];
}

function idOf(raw: string | number): number | undefined {
  const text = String(raw).trim();
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

function fromParts(
  screen: string | undefined,
  rawId: string | number | undefined,
  hostedAs: 'pod' | 'tab',
  source: PodContext['source'],
): ContextResult {
  if (!screen || rawId === undefined || rawId === '') return { ok: false, reason: 'missing' };
  const kind = kindOfScreen(screen);
  if (!kind) return { ok: false, reason: 'unsupported-screen', screen };
  const id = idOf(rawId);
  if (id === undefined) return { ok: false, reason: 'bad-id', screen };
  return { ok: true, context: { kind, id, hostedAs, source } };
}

export function contextFromUrl(url: string | URL): ContextResult {
  const params = new URL(url, 'http://pod.invalid/').searchParams;
  const hostedAs = params.get('view') === 'tab' ? 'tab' : 'pod';
  return fromParts(params.get('screen') ?? undefined, params.get('id') ?? undefined, hostedAs, 'url');
}

export function contextFromScreenObject(screenObject: ScreenObject): ContextResult {
  const hostedAs = screenObject.hostedAs?.toLowerCase() === 'tab' ? 'tab' : 'pod';
  return fromParts(screenObject.screen, screenObject.id, hostedAs, 'onLoad');
}

/** The screenObject wins when it names a record; the URL tokens are the fallback before onLoad arrives. */
export function resolveContext(url: string | URL, screenObject?: ScreenObject): ContextResult {
  if (screenObject) {
    const fromEvent = contextFromScreenObject(screenObject);
    if (fromEvent.ok) return fromEvent;
  }
  return contextFromUrl(url);
}

const labels: Record<RecordKind, string> = {
  agreement: 'Agreement',
  company: 'Company',
  'company-finance': 'Company Finance',
};

/** "Agreement #290". */
export function describeContext(context: PodContext): string {
  return `${labels[context.kind]} #${context.id}`;
}
