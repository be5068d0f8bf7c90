// A fake of our server's /api for the pod's views and wizard: canned views and plans, every request recorded.
import { createApi } from '../../client/state/api.ts';

export type Call = { method: string; path: string; body: unknown };
/** `text`: answered as is (a CSV export) instead of `body` as JSON. */
type Reply = { status?: number; body: unknown; text?: string };

export const SUB_E3 = '11111111-1111-4111-8111-111111111111';
export const SUB_DEFENDER = '22222222-2222-4222-8222-222222222222';
export const PRODUCT_E3 = '33333333-3333-4333-8333-333333333333';
export const PAX8_ACE = '44444444-4444-4444-8444-444444444444';
export const SHORT_E3 = 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ';

export const agreement = {
  id: 290,
  name: 'Ace Monthly',
  status: 'Active',
  company: { id: 19, name: 'Ace Chemical Processing Plant' },
  nextInvoiceDate: '2020-10-01',
  billingCycle: 'Monthly',
};

const sub = (id: string, productName: string, quantity: number) => ({
  id,
  productId: PRODUCT_E3,
  productName,
  quantity,
  price: 25,
  partnerCost: 20,
  billingTerm: 'Monthly',
  status: 'Active',
  startDate: '2020-07-01',
});

export const rowE3 = {
  subscription: sub(
    SUB_E3,
    'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
    2,
  ),
  productBinding: { catalogId: 88, identifier: 'MST-QFC-EE3-C100' },
  agreementId: 290,
  addition: null,
  status: 'not_on_agreement',
  action: 'sync',
  unsyncedChanges: 1,
};
export const rowDefender = {
  subscription: sub(SUB_DEFENDER, 'Microsoft Defender for Business', 5),
  productBinding: null,
  agreementId: 290,
  addition: null,
  status: 'product_not_bound',
  action: 'bind_product',
  unsyncedChanges: 0,
};
export const rowSynced = {
  subscription: sub('55555555-5555-4555-8555-555555555555', 'Exchange Online (Plan 1)', 3),
  productBinding: { catalogId: 89, identifier: 'MST-EXO-P1' },
  agreementId: 290,
  addition: {
    id: 700,
    quantity: 3,
    unitPrice: 5,
    unitCost: 4,
    effectiveDate: '2020-01-01',
    cancelledDate: null,
    invoiceDescription: 'Pax8 - Exchange Online (Plan 1)',
  },
  status: 'synced',
  action: 'none',
  unsyncedChanges: 0,
};

export const boundView = {
  agreement,
  binding: { pax8CompanyId: PAX8_ACE, name: 'Ace Chemical Processing Plant' },
  candidates: [],
  rows: [rowE3, rowDefender, rowSynced],
  warnings: [],
};

export const unboundView = {
  agreement,
  binding: null,
  candidates: [
    { pax8CompanyId: '66666666-6666-4666-8666-666666666666', name: 'Ace Chemicals Ltd', score: 0.71 },
    { pax8CompanyId: PAX8_ACE, name: 'Ace Chemical Processing Plant', score: 1 },
  ],
  rows: [],
  warnings: [
    {
      code: 'company_not_bound',
      message: 'Ace Chemical Processing Plant is not bound to a Pax8 company yet.',
    },
  ],
};

/** Ace's company view (company 19) over its two agreements, Ace Monthly (290) and Ace Cloud Services (291). */
export const companyView = (ghosts: unknown[]) => ({
  ...boundView,
  agreement: undefined,
  company: agreement.company,
  agreements: [agreement, { ...agreement, id: 291, name: 'Ace Cloud Services' }],
  ghosts,
});

const side = (pax8: string, connectWise: string) => ({ pax8, connectWise });

/** The guide's example: 2 seats from 10/01/2020 and a prorate for one seat added on 9/9/2020. */
export function guidePlan(planId: string, opts: { excluded?: boolean; threshold?: boolean } = {}) {
  return {
    planId,
    expiresAt: '2020-09-20T12:30:00Z',
    term: 'Monthly',
    mode: 'create',
    defaultEffectiveDate: '2020-10-01',
    additions: [
      {
        key: 'rec-1',
        action: 'create',
        kind: 'recurring',
        catalogId: 88,
        quantity: 2,
        unitPrice: '25.00',
        unitCost: '20.00',
        effectiveDate: '2020-10-01',
        cancelledDate: null,
        invoiceDescription: SHORT_E3,
        billCustomer: 'Billable',
        taxable: true,
      },
      ...(opts.excluded
        ? []
        : [
            {
              key: 'pro-1',
              action: 'create',
              kind: 'prorate',
              catalogId: 88,
              quantity: 1,
              unitPrice: '17.50',
              unitCost: '14.00',
              effectiveDate: '2020-10-01',
              cancelledDate: '2020-10-31',
              invoiceDescription: `${SHORT_E3} - Prorated for 09/09/2020-09/30/2020`,
              billCustomer: 'Billable',
              taxable: true,
              changeKey: '2020-09-09',
            },
          ]),
    ],
    prorates: [
      {
        changeKey: '2020-09-09',
        changeDate: '2020-09-09',
        quantityIncrease: 1,
        quantity: 2,
        unitCost: '14.00',
        unitPrice: '17.50',
        totalCost: '14.00',
        totalPrice: '17.50',
        effectiveDate: '2020-10-01',
        cancelledDate: '2020-10-31',
        period: { start: '2020-09-09', end: '2020-09-30' },
        invoiceDescription: `${SHORT_E3} - Prorated for 09/09/2020-09/30/2020`,
        synced: false,
        excluded: opts.excluded === true,
        edited: false,
      },
    ],
    review: [
      {
        key: 'rec-1',
        kind: 'recurring',
        action: 'create',
        title: 'Creating new ConnectWise addition.',
        productName: side('Microsoft Office 365 Enterprise E3', SHORT_E3),
        invoiceDescription: side('N/A', SHORT_E3),
        term: side('Monthly', 'Monthly'),
        quantity: side('2 units', '2 units'),
        unitCost: side('$20.00', '$20.00'),
        unitPrice: side('$25.00', '$25.00'),
        chargeLabel: 'Recurring',
        cost: side('$40.00', '$40.00 ($20.00 × 2 units)'),
        price: side('$50.00', '$50.00 ($25.00 × 2 units)'),
        effectiveDate: side('', '10/01/2020'),
        endDate: side('', ''),
        proratedPeriod: side('', ''),
        billCustomer: side('N/A', 'Billable'),
        taxable: side('N/A', 'true'),
      },
      ...(opts.excluded
        ? []
        : [
            {
              key: 'pro-1',
              kind: 'prorate',
              action: 'create',
              title: 'Creating new ConnectWise addition: prorated addition',
              productName: side('Microsoft Office 365 Enterprise E3', SHORT_E3),
              invoiceDescription: side('N/A', `${SHORT_E3} - Prorated for 09/09/2020-09/30/2020`),
              term: side('Monthly', 'One-Time'),
              quantity: side('2 units', '1 unit'),
              unitCost: side('$20.00', '$14.00'),
              unitPrice: side('$25.00', '$17.50'),
              chargeLabel: 'Non-Recurring',
              cost: side('$0.00', '$14.00 ($14.00 × 1 unit)'),
              price: side('$0.00', '$17.50 ($17.50 × 1 unit)'),
              effectiveDate: side('', '10/01/2020'),
              endDate: side('', '10/31/2020'),
              proratedPeriod: side('', '09/09/2020 - 09/30/2020'),
              billCustomer: side('N/A', 'Billable'),
              taxable: side('N/A', 'true'),
            },
          ]),
    ],
    warnings: [],
  };
}

/** Routes by "METHOD /path"; a handler may be replaced per test. Unknown routes answer 404. */
export class FakePodServer {
  calls: Call[] = [];
  routes = new Map<string, (body: unknown, url: URL) => Reply | Promise<Reply>>();
  /** Holds apply answers until released, to see a double click while applying. */
  holdApply: Promise<void> | undefined;
  private plans = 0;

  constructor() {
    this.on('GET /api/views/agreement/290', () => ({ body: boundView }));
    this.on('POST /api/sync/plan', (body) => {
      const options = (body as { options?: { prorates?: { exclude?: string[] }; threshold?: boolean } })
        .options;
      const excluded = options?.prorates?.exclude?.includes('2020-09-09') === true;
      return { body: guidePlan(`plan-${++this.plans}`, { excluded }) };
    });
    this.on('POST /api/sync/apply', async (body) => {
      if (this.holdApply) await this.holdApply;
      const ignore = (body as { ignore?: string[] }).ignore ?? [];
      const applied = [
        { key: 'rec-1', kind: 'recurring', action: 'create', additionId: 683 },
        { key: 'pro-1', kind: 'prorate', action: 'create', additionId: 682 },
      ].filter((a) => !ignore.includes(a.key));
      // As the server: an ignored line is skipped with its reason, not written.
      const skipped = ignore.map((key) => ({ key, reason: 'ignored' }));
      return { body: { planId: (body as { planId: string }).planId, applied, skipped } };
    });
  }

  on(route: string, handler: (body: unknown, url: URL) => Reply | Promise<Reply>): void {
    this.routes.set(route, handler);
  }

  count(route: string): number {
    return this.calls.filter((c) => `${c.method} ${c.path}` === route).length;
  }

  bodies(route: string): unknown[] {
    return this.calls.filter((c) => `${c.method} ${c.path}` === route).map((c) => c.body);
  }

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    this.calls.push({ method, path: url.pathname, body });
    const handler = this.routes.get(`${method} ${url.pathname}`);
    if (!handler)
      return Response.json({ error: { code: 'not_found', message: 'No such route' } }, { status: 404 });
    const reply = await handler(body, url);
    if (reply.text !== undefined) return new Response(reply.text, { status: reply.status ?? 200 });
    return Response.json(reply.body, { status: reply.status ?? 200 });
  };

  api() {
    return createApi({ baseUrl: 'http://pod.test', getToken: () => 'token-1', fetch: this.fetch });
  }
}

/** Lets promises, signal effects and Preact's debounced renders run. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
