// /api/catalog (search the ConnectWise catalog, its lookups) and /api/products (Pax8 pricing, and export of a
// Pax8 product into the ConnectWise catalog, bound in the same step).
import { Hono } from 'hono';
import * as v from 'valibot';
import { cond } from '../connectwise/index.ts';
import { AppError } from '../errors.ts';
import { jsonBody, parseOrThrow, queryOf } from '../http/validate.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { BillingTermSchema, CwIdNumberSchema, UuidSchema } from './sync-schemas.ts';

const Money = v.pipe(v.number(), v.finite(), v.minValue(0));

export const CatalogQuerySchema = v.object({
  search: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60)),
});

export const ExportProductSchema = v.object({
  pax8ProductId: UuidSchema,
  billingTerm: BillingTermSchema,
  /** White-label description; ConnectWise allows 60 characters. Default: the Pax8 name, cut to 60. */
  description: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60))),
  /** Default: the Pax8 SKU. */
  identifier: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60))),
  customerDescription: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(6000))),
  categoryId: v.optional(CwIdNumberSchema),
  subcategoryId: CwIdNumberSchema,
  typeId: CwIdNumberSchema,
  unitOfMeasureId: v.optional(CwIdNumberSchema),
  productClass: v.optional(
    v.picklist(['Agreement', 'Bundle', 'Inventory', 'NonInventory', 'Service']),
    'NonInventory',
  ),
  taxable: v.optional(v.boolean()),
  /** Override Pax8's suggested retail price / partner buy rate for the term. */
  price: v.optional(Money),
  cost: v.optional(Money),
});

const cents = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

export function catalogRoutes(deps: ApiContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .get('/', async (c) => {
      const { search } = queryOf(c, CatalogQuerySchema);
      const ctx = await syncContextOf(deps, c.var.session);
      const items = await ctx.cw.catalog.search(search);
      return c.json({
        items: items.map((i) => ({
          id: i.id,
          identifier: i.identifier,
          description: i.description ?? '',
          price: i.price ?? null,
          cost: i.cost ?? null,
          taxable: i.taxableFlag ?? false,
        })),
      });
    })
    .get('/lookups', async (c) => {
      const ctx = await syncContextOf(deps, c.var.session);
      const [categories, subcategories, types, unitsOfMeasure] = await Promise.all([
        ctx.cw.categories.all(),
        ctx.cw.subcategories.all(),
        ctx.cw.types.all(),
        ctx.cw.unitsOfMeasure.all(),
      ]);
      const active = <T extends { inactiveFlag?: boolean | undefined }>(rows: T[]) =>
        rows.filter((r) => r.inactiveFlag !== true);
      return c.json({
        categories: active(categories),
        subcategories: active(subcategories),
        types: active(types),
        unitsOfMeasure: active(unitsOfMeasure),
      });
    });
}

export function productRoutes(deps: ApiContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .use('*', requireSession(deps.sessions))
    .get('/:id/pricing', async (c) => {
      const id = parseOrThrow(UuidSchema, c.req.param('id'), 'product id');
      const ctx = await syncContextOf(deps, c.var.session);
      return c.json({ productId: id, pricing: await ctx.pax8.products.pricing(id) });
    })
    .post('/export', async (c) => {
      const body = await jsonBody(c, ExportProductSchema);
      const session = c.var.session;
      const ctx = await syncContextOf(deps, session);
      const [product, pricing] = await Promise.all([
        ctx.pax8.products.get(body.pax8ProductId),
        ctx.pax8.products.pricing(body.pax8ProductId),
      ]);
      const rate = pricing.find((p) => p.billingTerm === body.billingTerm)?.rates[0];
      if (!rate && (body.price === undefined || body.cost === undefined)) {
        throw new AppError('bad_request', `Pax8 has no ${body.billingTerm} pricing for ${product.name}`, {
          details: [{ path: 'billingTerm', message: 'no pricing for this term' }],
        });
      }
      const identifier = body.identifier ?? product.sku;
      const existing = await ctx.cw.catalog.all({ conditions: cond.eq('identifier', identifier) });
      if (existing[0]) {
        throw new AppError('conflict', `The catalog already has an item ${identifier}: bind to it instead`, {
          details: { cwCatalogId: existing[0].id },
        });
      }
      const price = body.price ?? rate?.suggestedRetailPrice ?? 0;
      const cost = body.cost ?? rate?.partnerBuyRate ?? 0;
      const item = await ctx.cw.catalog.create({
        identifier,
        description: body.description ?? product.name.slice(0, 60),
        customerDescription: (body.customerDescription ?? product.description ?? product.name).slice(0, 6000),
        ...(body.categoryId === undefined ? {} : { category: { id: body.categoryId } }),
        subcategory: { id: body.subcategoryId },
        type: { id: body.typeId },
        productClass: body.productClass,
        ...(body.unitOfMeasureId === undefined ? {} : { unitOfMeasure: { id: body.unitOfMeasureId } }),
        price,
        cost,
        ...(product.vendorSku ? { vendorSku: product.vendorSku.slice(0, 50) } : {}),
        ...(body.taxable === undefined ? {} : { taxableFlag: body.taxable }),
      });
      const binding = await ctx.repos.productBindings.upsert(ctx.tenant.id, {
        pax8ProductId: body.pax8ProductId,
        billingTerm: body.billingTerm,
        cwCatalogId: item.id,
        cwIdentifier: item.identifier,
        price: body.price === undefined ? null : cents(body.price),
      });
      await ctx.repos.audit.append(ctx.tenant.id, {
        actor: session.memberId,
        action: 'product.export',
        target: `product:${body.pax8ProductId}:${body.billingTerm}`,
        after: { catalogItem: item, binding },
      });
      return c.json({ catalogItem: item, binding }, 201);
    });
}
