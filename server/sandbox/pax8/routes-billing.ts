// Usage summaries, usage lines and invoices of the emulated Pax8 API.
import { Hono } from 'hono';
import type { Pax8Data } from './data.ts';
import { draftItems } from './demo-billing.ts';
import { filtered, invalidParam, notFound, paged, sorted } from './http.ts';
import type { Invoice, UsageSummary } from './types.ts';

const ymd = /^\d{4}-\d{2}-\d{2}$/;

export function billingRoutes(data: Pax8Data, now: () => Date = () => new Date()): Hono {
  const app = new Hono();
  const drafts = new Map<string, { at: number; items: ReturnType<typeof draftItems> }>();
  // Usage and invoices follow the (sandbox) clock: what is read is what Pax8 would have posted by now.
  app.use('*', async (_c, next) => {
    data.advance?.(now());
    await next();
  });

  app.get('/subscriptions/:id/usage-summaries', (c) => {
    const id = c.req.param('id');
    if (!data.subscriptions.has(id)) throw notFound('Subscription', id);
    const list = filtered(
      c,
      [...data.usageSummaries.values()].filter((u) => u.subscriptionId === id),
      { resourceGroup: (u) => u.resourceGroup, companyId: (u) => u.companyId },
    );
    const sortBy: Record<string, (u: UsageSummary) => string | number> = {
      resourceGroup: (u) => u.resourceGroup,
      currentCharges: (u) => u.currentCharges,
      partnerTotal: (u) => u.partnerTotal,
    };
    return c.json(paged(c, sorted(c, list, sortBy)));
  });
  app.get('/usage-summaries/:id', (c) => {
    const summary = data.usageSummaries.get(c.req.param('id'));
    if (!summary) throw notFound('Usage summary', c.req.param('id'));
    return c.json(summary);
  });
  app.get('/usage-summaries/:id/usage-lines', (c) => {
    const id = c.req.param('id');
    if (!data.usageSummaries.has(id)) throw notFound('Usage summary', id);
    const usageDate = c.req.query('usageDate');
    if (usageDate !== undefined && !ymd.test(usageDate))
      throw invalidParam(c, 'usageDate', 'must be yyyy-MM-dd');
    const list = filtered(c, data.usageLines.get(id) ?? [], {
      usageDate: (l) => l.usageDate,
      productId: (l) => l.productId,
    });
    return c.json(paged(c, list));
  });

  app.get('/invoices', (c) => {
    for (const name of ['invoiceDateRangeStart', 'invoiceDateRangeEnd', 'invoiceDate']) {
      const value = c.req.query(name);
      if (value !== undefined && !ymd.test(value)) throw invalidParam(c, name, 'must be yyyy-MM-dd');
    }
    const from = c.req.query('invoiceDateRangeStart') ?? '';
    const to = c.req.query('invoiceDateRangeEnd') ?? '9999-12-31';
    const list = filtered(
      c,
      [...data.invoices.values()]
        .map((x) => x.invoice)
        .filter((i) => i.invoiceDate >= from && i.invoiceDate <= to),
      { status: (i) => i.status, invoiceDate: (i) => i.invoiceDate, companyId: (i) => i.companyId },
    );
    const sortBy: Record<string, (i: Invoice) => string | number> = {
      invoiceDate: (i) => i.invoiceDate,
      dueDate: (i) => i.dueDate,
      status: (i) => i.status,
      partnerName: (i) => i.partnerName,
      total: (i) => i.total,
      balance: (i) => i.balance,
      carriedBalance: (i) => i.carriedBalance,
    };
    return c.json(paged(c, sorted(c, list, sortBy)));
  });
  // Before /invoices/:id, which would take 'draftItems' for an id.
  app.get('/invoices/draftItems', (c) => {
    const offset = c.req.query('monthOffset') ?? '1';
    if (offset !== '0' && offset !== '1') throw invalidParam(c, 'monthOffset', 'must be 0 or 1');
    const companyId = c.req.query('companyId');
    // The whole tenant's drafts are built once per month offset and kept 5 s: a client walks them page by page,
    // and building them is the emulator's cost, not Pax8's (40,000 subscriptions per page otherwise).
    const key = `${offset}|${now().toISOString().slice(0, 10)}`;
    const kept = companyId === undefined ? drafts.get(key) : undefined;
    if (kept && kept.at > Date.now() - 5000) return c.json(paged(c, kept.items));
    const items = draftItems(data, now(), offset === '0' ? 0 : 1, companyId);
    if (companyId === undefined) drafts.set(key, { at: Date.now(), items });
    return c.json(paged(c, items));
  });
  app.get('/invoices/:id', (c) => {
    const found = data.invoices.get(c.req.param('id'));
    if (!found) throw notFound('Invoice', c.req.param('id'));
    return c.json(found.invoice);
  });
  app.get('/invoices/:id/items', (c) => {
    const found = data.invoices.get(c.req.param('id'));
    if (!found) throw notFound('Invoice', c.req.param('id'));
    return c.json(paged(c, found.items));
  });
  return app;
}
