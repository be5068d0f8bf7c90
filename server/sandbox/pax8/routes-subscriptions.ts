// Subscriptions (list, read, history, update, cancel) and orders of the emulated Pax8 API.
import { Hono } from 'hono';
import * as v from 'valibot';
import { termMonths } from './catalog.ts';
import type { Pax8Data } from './data.ts';
import { addDays, addMonths, dayOf } from './dates.ts';
import { bodyOf, filtered, notFound, Pax8HttpError, paged, sorted, valuesWindow } from './http.ts';
import type { LineItem, Order, Subscription } from './types.ts';

const billingTerms = ['Monthly', 'Annual', '2-Year', '3-Year', 'One-Time', 'Trial', 'Activation'] as const;

const UpdateBody = v.looseObject({
  quantity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  price: v.optional(v.pipe(v.number(), v.minValue(0))),
  billingTerm: v.optional(v.picklist(billingTerms)),
  startDate: v.optional(v.pipe(v.string(), v.isoTimestamp())),
});

const OrderBody = v.object({
  companyId: v.string(),
  orderedBy: v.optional(v.picklist(['Pax8 Partner', 'Customer', 'Pax8'])),
  orderedByUserEmail: v.optional(v.string()),
  lineItems: v.pipe(
    v.array(
      v.object({
        productId: v.string(),
        billingTerm: v.picklist(billingTerms),
        quantity: v.pipe(v.number(), v.integer(), v.minValue(1)),
        lineItemNumber: v.optional(v.number()),
        commitmentTermId: v.optional(v.nullable(v.string())),
        provisionStartDate: v.optional(v.nullable(v.string())),
        parentSubscriptionId: v.optional(v.nullable(v.string())),
        parentLineItemNumber: v.optional(v.nullable(v.number())),
      }),
    ),
    v.minLength(1),
  ),
});

const unprocessable = (message: string, detail: string, instance: string) =>
  new Pax8HttpError(422, 'UNPROCESSABLE_ENTITY', message, [
    { type: 'UNPROCESSABLE_ENTITY', message: detail, instance, status: 422 },
  ]);

/** Microsoft NCE: a decrease or a cancellation is only allowed in the 7 days after purchase or renewal. */
function outsideNceWindow(data: Pax8Data, sub: Subscription, now: Date): boolean {
  if (!sub.commitmentTerm) return false;
  if (data.products.get(sub.productId)?.detail.vendorName !== 'Microsoft') return false;
  const months = termMonths(sub.commitmentTerm.term);
  // endDate is the term's last day: the term began `months` before the day after it. A term end already passed
  // means it renewed since.
  let termStart = addMonths(addDays(sub.commitmentTerm.endDate, 1), -months);
  while (new Date(addMonths(termStart, months)).getTime() <= now.getTime())
    termStart = addMonths(termStart, months);
  // 168 h from the purchase itself, or from the renewal day (00:00 UTC): as billing/terms.ts reads it.
  const from =
    dayOf(termStart) === dayOf(sub.startDate) ? sub.startDate : `${dayOf(termStart)}T00:00:00.000Z`;
  return now.getTime() >= new Date(addDays(from, 7)).getTime();
}

function nceDecreaseRefusal(data: Pax8Data, sub: Subscription, quantity: number, now: Date): string | null {
  if (quantity >= sub.quantity || !outsideNceWindow(data, sub, now)) return null;
  return 'Microsoft NCE subscriptions can only be decreased within 7 days of purchase or renewal';
}

/** Seats Pax8 accepts on one subscription: Microsoft's Business plans stop at 300 users. */
export function maxQuantityOf(data: Pax8Data, sub: Subscription): number {
  const product = data.products.get(sub.productId)?.detail;
  return product?.vendorName === 'Microsoft' && /business/i.test(product.name) ? 300 : 10_000;
}

function quantityRefusal(data: Pax8Data, sub: Subscription, quantity: number): string | null {
  if (quantity < 1) return 'Quantity must be at least 1; cancel the subscription to remove every seat';
  const max = maxQuantityOf(data, sub);
  if (quantity > max) return `Quantity ${quantity} exceeds the maximum of ${max} for this product`;
  return null;
}

const subscriptionSort: Record<string, (s: Subscription) => string | number> = {
  quantity: (s) => s.quantity,
  startDate: (s) => s.startDate,
  endDate: (s) => s.endDate ?? '',
  createdDate: (s) => s.createdDate,
  billingStart: (s) => s.billingStart,
  price: (s) => s.price,
};

export function subscriptionRoutes(data: Pax8Data, now: () => Date): Hono {
  const app = new Hono();
  const recordOr404 = (id: string) => {
    const record = data.subscriptions.get(id);
    if (!record) throw notFound('Subscription', id);
    return record;
  };

  const filters: Record<string, (s: Subscription) => unknown> = {
    companyId: (s) => s.companyId,
    productId: (s) => s.productId,
    status: (s) => s.status,
    billingTerm: (s) => s.billingTerm,
  };
  app.get('/subscriptions', (c) => {
    // Neither filtered nor sorted (the audit's walk): each page is cut from the records in place, so the
    // emulator's cost per page does not grow with 40,000 subscriptions and the bench measures the product.
    if (!c.req.query('sort') && Object.keys(filters).every((name) => c.req.query(name) === undefined))
      return c.json(
        paged(
          c,
          valuesWindow(data.subscriptions, (r) => r.current),
        ),
      );
    const list = filtered(
      c,
      [...data.subscriptions.values()].map((r) => r.current),
      filters,
    );
    return c.json(paged(c, sorted(c, list, subscriptionSort)));
  });
  app.get('/subscriptions/:id', (c) => c.json(recordOr404(c.req.param('id')).current));
  app.get('/subscriptions/:id/history', (c) => c.json({ content: recordOr404(c.req.param('id')).history }));

  app.put('/subscriptions/:id', async (c) => {
    const record = recordOr404(c.req.param('id'));
    const body = await bodyOf(c, UpdateBody);
    const sub = record.current;
    const patch: Partial<Subscription> = {};
    if (body.quantity !== undefined) patch.quantity = body.quantity;
    if (body.price !== undefined) patch.price = body.price;
    if (body.billingTerm !== undefined) patch.billingTerm = body.billingTerm;
    if (body.startDate !== undefined) patch.startDate = new Date(body.startDate).toISOString();
    if (Object.keys(patch).length === 0) {
      throw unprocessable(
        'Invalid Subscription Update',
        'Provide at least one of price, billingTerm, quantity, startDate',
        c.req.path,
      );
    }
    if (sub.status === 'Cancelled' || sub.status === 'PendingCancel') {
      throw unprocessable('Invalid Subscription Update', `Subscription is ${sub.status}`, c.req.path);
    }
    if (new Date(sub.startDate).getTime() > now().getTime()) {
      throw unprocessable(
        'Invalid Subscription Update',
        'Subscriptions with a future start date cannot be updated',
        c.req.path,
      );
    }
    const refusal =
      body.quantity === undefined
        ? null
        : (quantityRefusal(data, sub, body.quantity) ?? nceDecreaseRefusal(data, sub, body.quantity, now()));
    if (refusal) throw unprocessable('Invalid Subscription Update', refusal, c.req.path);
    return c.json(data.patchSubscription(sub.id, patch, now()));
  });

  app.delete('/subscriptions/:id', (c) => {
    const sub = recordOr404(c.req.param('id')).current;
    if (sub.status === 'Cancelled' || sub.status === 'PendingCancel') {
      throw unprocessable('Invalid Subscription Update', `Subscription is already ${sub.status}`, c.req.path);
    }
    const raw = c.req.query('cancelDate');
    const cancelAt = raw ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw) : now();
    if (Number.isNaN(cancelAt.getTime())) {
      throw new Pax8HttpError(400, 'INVALID_PARAM', 'Invalid parameter: cancelDate');
    }
    if (outsideNceWindow(data, sub, now())) {
      throw unprocessable(
        'Invalid Subscription Update',
        'Microsoft NCE subscriptions can only be cancelled within 7 days of purchase or renewal',
        c.req.path,
      );
    }
    const status = cancelAt.getTime() > now().getTime() ? 'PendingCancel' : 'Cancelled';
    data.patchSubscription(sub.id, { status, endDate: cancelAt.toISOString() }, now());
    return c.body(null, 204);
  });

  app.get('/orders', (c) => {
    const list = filtered(c, [...data.orders.values()], { companyId: (o) => o.companyId });
    return c.json(paged(c, list));
  });
  app.get('/orders/:id', (c) => {
    const order = data.orders.get(c.req.param('id'));
    if (!order) throw notFound('Order', c.req.param('id'));
    return c.json(order);
  });
  app.post('/orders', async (c) => {
    const body = await bodyOf(c, OrderBody);
    const isMock = c.req.query('isMock') === 'true';
    const invalid = (detail: string) => unprocessable('Invalid order', detail, c.req.path);
    const company = data.companies.get(body.companyId);
    if (!company) throw invalid(`Company ${body.companyId} not found`);
    if (company.status !== 'Active') throw invalid(`Company ${company.id} is ${company.status}`);
    const checked = body.lineItems.map((item, i) => {
      const product = data.products.get(item.productId);
      if (!product) throw invalid(`Line ${i + 1}: product ${item.productId} not found`);
      const pricing = product.pricing.find((p) => p.billingTerm === item.billingTerm);
      if (!pricing) throw invalid(`Line ${i + 1}: billingTerm ${item.billingTerm} not offered`);
      const commitment = product.commitments.find((x) => x.id === item.commitmentTermId);
      if (product.detail.requiresCommitment && !commitment)
        throw invalid(`Line ${i + 1}: commitmentTermId required`);
      if (commitment && termMonths(commitment.term) < termMonths(item.billingTerm)) {
        throw invalid(`Line ${i + 1}: commitment term shorter than the billing term`);
      }
      if (
        item.provisionStartDate &&
        new Date(item.provisionStartDate).getTime() > now().getTime() + 86_400_000
      ) {
        throw invalid(`Line ${i + 1}: scheduled orders are not supported`);
      }
      return { item, pricing, lineItemNumber: item.lineItemNumber ?? i + 1 };
    });
    const lineItems: LineItem[] = checked.map(({ item, pricing, lineItemNumber }) => {
      const rate = pricing.rates[0];
      const sub = isMock
        ? null
        : data.addSubscription({
            companyId: company.id,
            productId: item.productId,
            billingTerm: item.billingTerm,
            price: rate?.suggestedRetailPrice ?? 0,
            partnerCost: rate?.partnerBuyRate ?? 0,
            parentSubscriptionId: item.parentSubscriptionId ?? null,
            history: [{ date: now(), quantity: item.quantity }],
            recordOrder: false,
          });
      return {
        id: crypto.randomUUID(),
        productId: item.productId,
        subscriptionId: sub?.id ?? null,
        commitmentTermId: item.commitmentTermId ?? null,
        provisionStartDate: item.provisionStartDate ?? now().toISOString(),
        lineItemNumber,
        billingTerm: item.billingTerm,
        parentSubscriptionId: item.parentSubscriptionId ?? null,
        parentLineItemNumber: item.parentLineItemNumber ?? null,
        quantity: item.quantity,
        provisioningDetails: [],
      };
    });
    const order: Order = {
      id: crypto.randomUUID(),
      companyId: company.id,
      createdDate: now().toISOString().slice(0, 10),
      orderedBy: body.orderedBy ?? 'Pax8 Partner',
      orderedByUserId: null,
      orderedByUserEmail: body.orderedByUserEmail ?? null,
      isScheduled: false,
      lineItems,
    };
    if (!isMock) data.orders.set(order.id, order);
    return c.json(order, 200);
  });
  return app;
}
