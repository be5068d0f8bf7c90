// A usage product (Azure, billed in arrears) has no seats: the server refuses a quantity change with words, before
// Pax8 is called, whether Pax8's figures show it (no price, no cost) or the product binding's own "usage" flag does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aceE3Subscription, aceSubscription, productId } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const now = new Date('2026-11-25T12:00:00Z');
let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now });
});
afterEach(() => h.close());

const quantity = (id: string, idempotencyKey: string) =>
  h.call('POST', `/api/subscriptions/${id}/quantity`, {
    quantity: 3,
    waiveProrate: false,
    acceptTerms: true,
    idempotencyKey,
  });
const pax8Puts = (id: string) => h.upstreamCalls.filter((c) => c === `PUT pax8.test/v1/subscriptions/${id}`);

describe('a quantity change on a usage product', () => {
  it("Azure (no price, no cost in Pax8): 400 with words, nothing sent, Pax8's subscription unchanged", async () => {
    const azure = aceSubscription(h.pax8.data, 'azure');
    const before = azure.quantity;
    const res = await quantity(azure.id, 'usage-azure-0001');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: {
        code: 'bad_request',
        details: { subscriptionId: azure.id, usage: true },
        message:
          "Microsoft Azure Plan is billed by usage in arrears: it has no seats to change. Change its consumption in the vendor's portal; each closed month is synced as one usage line.",
      },
    });
    expect(pax8Puts(azure.id)).toEqual([]);
    expect(h.pax8.data.subscriptions.get(azure.id)?.current.quantity).toBe(before);
  });

  it('a seat product the binding flags as usage: refused the same way; unflagged, the same change goes through', async () => {
    const e3 = aceE3Subscription(h.pax8.data);
    const bound = await h.call('POST', '/api/bindings/product', {
      pax8ProductId: productId('o365e3'),
      billingTerm: e3.billingTerm,
      cwCatalogId: 687,
      usage: true,
    });
    expect(bound.status, JSON.stringify(bound.json)).toBe(201);
    const refused = await quantity(e3.id, 'usage-e3-00001');
    expect(refused.status).toBe(400);
    expect((refused.json as { error: { message: string } }).error.message).toMatch(
      /^Microsoft Office 365 Enterprise E3 - .* is billed by usage in arrears: it has no seats to change\./,
    );
    expect(pax8Puts(e3.id)).toEqual([]);
    const unflagged = await h.call('POST', '/api/bindings/product', {
      pax8ProductId: productId('o365e3'),
      billingTerm: e3.billingTerm,
      cwCatalogId: 687,
      usage: false,
    });
    expect(unflagged.status, JSON.stringify(unflagged.json)).toBe(201);
    const ok = await quantity(e3.id, 'usage-e3-00002');
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(pax8Puts(e3.id)).toHaveLength(1);
  });
});
