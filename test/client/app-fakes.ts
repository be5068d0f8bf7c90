// Canned answers of /api/audit/unsynced and /api/companies for the app's model and render tests.
import type { SessionState } from '../../client/state/session-model.ts';

export const ACE = '44444444-4444-4444-8444-444444444444';
export const ZED = '99999999-9999-4999-8999-999999999999';

/** The nth subscription id: a uuid whose first block is the index, so rows are told apart by their short id. */
export const subId = (n: number) => `${String(n).padStart(8, '0')}-1111-4111-8111-111111111111`;

export function row(
  n: number,
  over: { reason?: string; cwCompanyId?: number | null; product?: string } = {},
) {
  return {
    subscription: {
      id: subId(n),
      companyId: ACE,
      companyName: 'Ace Chemical Processing Plant',
      productName: over.product ?? `Product ${n}`,
      quantity: n,
      billingTerm: 'Monthly',
      status: 'Active',
      updatedDate: '2020-09-09T00:00:00Z',
    },
    cwCompanyId: over.cwCompanyId === undefined ? 250 : over.cwCompanyId,
    reason: over.reason ?? 'never_synced',
  };
}

/** An audit with `unsynced` non-arrears rows, one arrears row, and the given ignored ids. */
export function auditOf(unsynced: number, ignored: number[] = []) {
  const nonArrears = Array.from({ length: unsynced }, (_, i) => row(i + 1)).filter(
    (r) => !ignored.includes(Number(r.subscription.id.slice(0, 8))),
  );
  const total = unsynced + 1;
  return {
    checkedAt: '2020-09-20T12:00:00.000Z',
    checked: {
      subscriptions: total,
      companies: 1,
      nothingRead: total === 0,
      statement: `Checked ${total} Pax8 subscriptions of 1 company: ${nonArrears.length} unsynced, 1 billed in arrears, ${ignored.length} ignored, 0 synced, 0 ended.`,
    },
    counts: {
      subscriptions: total,
      companies: 1,
      nonArrears: nonArrears.length,
      arrears: 1,
      ignored: ignored.length,
      synced: 0,
      ended: 0,
    },
    nonArrears,
    arrears: [row(900, { reason: 'arrears', product: 'Microsoft Azure Plan' })],
    ignored: ignored.map((n) => ({
      subscriptionId: subId(n),
      note: '',
      ignoredBy: 'jsmith',
      ignoredAt: '2020-09-20T12:00:00.000Z',
      subscription: row(n).subscription,
      cwCompanyId: 250,
      reason: 'never_synced',
    })),
  };
}

export const nothingRead = {
  checkedAt: '2020-09-20T12:00:00.000Z',
  checked: {
    subscriptions: 0,
    companies: 0,
    nothingRead: true,
    statement:
      'No subscriptions were read from Pax8, so nothing was checked. An empty list here does not mean everything is synced.',
  },
  counts: { subscriptions: 0, companies: 0, nonArrears: 0, arrears: 0, ignored: 0, synced: 0, ended: 0 },
  nonArrears: [],
  arrears: [],
  ignored: [],
};

export const companies = {
  companies: [
    {
      cwCompany: { id: 250, name: 'Ace Chemical Processing Plant', identifier: 'AceChemical' },
      pax8Company: { id: ACE, name: 'Ace Chemical Processing Plant' },
      candidates: [],
    },
    {
      cwCompany: { id: 277, name: 'Cedar & Pine Law Office', identifier: 'CedarLaw' },
      pax8Company: null,
      candidates: [
        { pax8CompanyId: ZED, name: 'Cedar and Pine Law Office', score: 1 },
        { pax8CompanyId: '88888888-8888-4888-8888-888888888888', name: 'Cedar Pines', score: 0.62 },
      ],
    },
    {
      cwCompany: { id: 280, name: 'Cedar Pine Holdings', identifier: 'CedarHold' },
      pax8Company: null,
      candidates: [{ pax8CompanyId: ZED, name: 'Cedar and Pine Law Office', score: 0.7 }],
    },
    {
      cwCompany: { id: 307, name: 'Quarry Street Cafe', identifier: 'QuarryCafe' },
      pax8Company: null,
      candidates: [],
    },
  ],
  counts: { cwCompanies: 4, pax8Companies: 3, bound: 1 },
};

/** Jane Smith signed in to Northwind's tenant: the session the app's render tests start from. */
export const signedIn = {
  status: 'signed-in',
  session: {
    token: 't',
    expiresAt: '2020-09-20T12:15:00Z',
    member: { id: 'jsmith', name: 'Jane Smith', email: null },
    tenant: { id: 'tn', name: 'Northwind Managed Services' },
  },
} as unknown as SessionState;

/**
 * The server's paging over a whole audit (issue 13): rows (non-arrears then arrears) `size` at a time after
 * the cursor "row:N", the ignored list on the first page only, the counts on every page.
 */
export function pageOf(whole: ReturnType<typeof auditOf>, url: URL, size: number) {
  const cursor = url.searchParams.get('cursor');
  const from = cursor === null ? 0 : Number(cursor.slice(4));
  const rows = [...whole.nonArrears, ...whole.arrears].slice(from, from + size);
  const to = from + rows.length;
  const more = to < whole.nonArrears.length + whole.arrears.length;
  return {
    ...whole,
    nonArrears: rows.filter((r) => r.reason !== 'arrears'),
    arrears: rows.filter((r) => r.reason === 'arrears'),
    ignored: cursor === null ? whole.ignored : [],
    page: { limit: size, returned: rows.length, nextCursor: more ? `row:${to}` : null },
  };
}
