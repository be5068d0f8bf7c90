// The host page's reads from the emulated ConnectWise REST API, as ConnectWise's own UI would have them:
// credentials from /sandbox/credentials, Basic auth `companyId+publicKey:privateKey` plus `clientId`.
import * as v from 'valibot';

const CredentialsSchema = v.object({
  connectwise: v.object({
    siteUrl: v.string(),
    apiBaseUrl: v.string(),
    companyId: v.string(),
    publicKey: v.string(),
    privateKey: v.string(),
    clientId: v.string(),
    member: v.object({ id: v.string(), hash: v.string() }),
  }),
  /** The sandbox tenant's key: what its registered pod URL carries (absent before the tenant exists). */
  tenantKey: v.optional(v.string()),
});
export type SandboxCredentials = v.InferOutput<typeof CredentialsSchema>['connectwise'] & {
  tenantKey?: string | undefined;
};

const RefSchema = v.object({
  id: v.number(),
  name: v.optional(v.string()),
  identifier: v.optional(v.string()),
});
export const HostedSetupSchema = v.object({
  id: v.number(),
  screenId: v.number(),
  description: v.string(),
  url: v.string(),
  type: v.string(),
  podHeight: v.optional(v.nullable(v.number())),
  disabledFlag: v.optional(v.nullable(v.boolean())),
});
export type HostedSetup = v.InferOutput<typeof HostedSetupSchema>;

export const MenuEntrySchema = v.looseObject({
  id: v.number(),
  menuLocation: v.string(),
  caption: v.string(),
  link: v.string(),
  newWindowFlag: v.optional(v.nullable(v.boolean())),
});
export type MenuEntry = v.InferOutput<typeof MenuEntrySchema>;

const ScreensReportSchema = v.object({ row_values: v.array(v.tuple([v.number(), v.string()])) });

export const AgreementSchema = v.looseObject({
  id: v.number(),
  name: v.string(),
  type: v.optional(RefSchema),
  company: v.optional(RefSchema),
  contact: v.optional(RefSchema),
  agreementStatus: v.optional(v.string()),
  startDate: v.optional(v.nullable(v.string())),
  endDate: v.optional(v.nullable(v.string())),
  nextInvoiceDate: v.optional(v.nullable(v.string())),
  billingCycle: v.optional(RefSchema),
});
export type Agreement = v.InferOutput<typeof AgreementSchema>;

export const CompanySchema = v.looseObject({
  id: v.number(),
  identifier: v.string(),
  name: v.string(),
  status: v.optional(RefSchema),
  addressLine1: v.optional(v.nullable(v.string())),
  city: v.optional(v.nullable(v.string())),
  state: v.optional(v.nullable(v.string())),
  zip: v.optional(v.nullable(v.string())),
  phoneNumber: v.optional(v.nullable(v.string())),
  website: v.optional(v.nullable(v.string())),
});
export type Company = v.InferOutput<typeof CompanySchema>;

const MemberSchema = v.looseObject({
  identifier: v.string(),
  name: v.optional(v.string()),
  primaryEmail: v.optional(v.nullable(v.string())),
});

export type CwRest = {
  credentials: SandboxCredentials;
  setups(): Promise<HostedSetup[]>;
  /** Screen id → screen name, from the ConnectWiseHostedApiScreen report. */
  screens(): Promise<Map<number, string>>;
  agreements(): Promise<Agreement[]>;
  companies(): Promise<Company[]>;
  memberEmail(): Promise<string | undefined>;
  /** Custom menu entries (system/menuentries): our "Pax8" under Companies. */
  menuEntries?(): Promise<MenuEntry[]>;
};

/**
 * The sandbox credentials: the page's inline copy (the server writes GET /sandbox/credentials's answer into
 * the host page), else that request's answer.
 */
export async function loadCredentials(
  fetcher: typeof fetch = fetch,
  inline?: string | null,
): Promise<SandboxCredentials> {
  const given = inlineCredentials(inline);
  if (given) return given;
  const res = await fetcher('/sandbox/credentials');
  if (!res.ok) throw new Error(`GET /sandbox/credentials answered ${res.status}`);
  const { connectwise, tenantKey } = v.parse(CredentialsSchema, await res.json());
  return { ...connectwise, tenantKey };
}

/** The page's inline credentials, checked like the request's answer; null when absent or bad. */
export function inlineCredentials(text: string | null | undefined): SandboxCredentials | null {
  if (!text) return null;
  try {
    const parsed = v.safeParse(CredentialsSchema, JSON.parse(text));
    return parsed.success ? { ...parsed.output.connectwise, tenantKey: parsed.output.tenantKey } : null;
  } catch {
    return null;
  }
}

const FirstScreenSchema = v.object({
  reads: v.record(v.string(), v.unknown()),
  today: v.optional(v.string()),
});
/** What the server wrote into the host page: the screen's first reads (by REST path) and the sandbox date. */
export type FirstScreen = v.InferOutput<typeof FirstScreenSchema>;

/** The page's inline first screen; empty reads when absent or bad (the page then reads everything itself). */
export function inlineFirstScreen(text: string | null | undefined): FirstScreen {
  if (!text) return { reads: {} };
  try {
    const parsed = v.safeParse(FirstScreenSchema, JSON.parse(text));
    return parsed.success ? parsed.output : { reads: {} };
  } catch {
    return { reads: {} };
  }
}

/**
 * The host page's REST reads. `first` holds answers the server wrote into the page: each is used once, checked
 * like a fetched answer, and later reads (refreshScreen) go to the emulated ConnectWise.
 */
export function createCwRest(
  credentials: SandboxCredentials,
  fetcher: typeof fetch = fetch,
  first: Record<string, unknown> = {},
): CwRest {
  const auth = `Basic ${btoa(`${credentials.companyId}+${credentials.publicKey}:${credentials.privateKey}`)}`;
  const unread = new Map(Object.entries(first));
  const get = async <T>(path: string, schema: v.GenericSchema<unknown, T>): Promise<T> => {
    if (unread.has(path)) {
      const answer = unread.get(path);
      unread.delete(path);
      return v.parse(schema, answer);
    }
    const res = await fetcher(`${credentials.apiBaseUrl}/${path}`, {
      headers: { authorization: auth, clientId: credentials.clientId, accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`GET ${path.split('?')[0]} answered ${res.status}`);
    return v.parse(schema, await res.json());
  };
  return {
    credentials,
    setups: () => get('system/connectwisehostedsetups?pageSize=1000', v.array(HostedSetupSchema)),
    async screens() {
      const report = await get('system/reports/ConnectWiseHostedApiScreen', ScreensReportSchema);
      return new Map(report.row_values);
    },
    agreements: () => get('finance/agreements?pageSize=1000&orderBy=id', v.array(AgreementSchema)),
    companies: () => get('company/companies?pageSize=1000&orderBy=name', v.array(CompanySchema)),
    menuEntries: () => get('system/menuentries?pageSize=1000', v.array(MenuEntrySchema)),
    async memberEmail() {
      const id = credentials.member.id.replace(/"/g, '\\"');
      const rows = await get(
        `system/members?conditions=${encodeURIComponent(`identifier="${id}"`)}`,
        v.array(MemberSchema),
      );
      return rows[0]?.primaryEmail ?? undefined;
    },
  };
}
