// /api/bindings: bind a ConnectWise company to a Pax8 company, and a Pax8 product (per billing term) to a
// ConnectWise catalog item. Both sides are checked upstream first; every change is audited.
import { Hono } from 'hono';
import * as v from 'valibot';
import { createAndBind } from '../bindings/create-company.ts';
import { prefillOf } from '../bindings/prefill.ts';
import { touchBoard } from '../board/index.ts';
import { AppError } from '../errors.ts';
import { jsonBody, parseOrThrow } from '../http/validate.ts';
import { NewCompanySchema, NewContactSchema } from '../pax8/company-input.ts';
import { syncContextOf } from '../sync-context.ts';
import { type ApiEnv, requireSession } from './auth.ts';
import type { ApiContext } from './deps.ts';
import { BillingTermSchema, CwIdNumberSchema, UuidSchema } from './sync-schemas.ts';

export const CompanyBindingSchema = v.object({ cwCompanyId: CwIdNumberSchema, pax8CompanyId: UuidSchema });
export const CompanyUnbindSchema = v.object({
  cwCompanyId: CwIdNumberSchema,
  pax8CompanyId: v.optional(UuidSchema),
});
export const CreateAndBindSchema = v.object({
  cwCompanyId: CwIdNumberSchema,
  company: NewCompanySchema,
  contact: v.variant('kind', [
    v.object({ kind: v.literal('new'), contact: NewContactSchema }),
    v.object({ kind: v.literal('existing'), cwContactId: CwIdNumberSchema }),
  ]),
});

export const ProductBindingSchema = v.object({
  pax8ProductId: UuidSchema,
  billingTerm: BillingTermSchema,
  cwCatalogId: CwIdNumberSchema,
  price: v.optional(
    v.nullable(v.pipe(v.string(), v.regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be like "12.50"'))),
  ),
  /** Percent over Pax8's partner total billed for a usage month (spec §5), e.g. "15" or "12.5". */
  markupPercent: v.optional(
    v.nullable(v.pipe(v.string(), v.regex(/^\d{1,3}(\.\d{1,2})?$/, 'must be a percent like "15" or "12.5"'))),
  ),
  /** Usage billed in arrears (Azure): one line per closed month, never a recurring addition. */
  usage: v.optional(v.boolean()),
  /** Default bill option of new lines for this product; null: the tenant's default (Settings). */
  billCustomer: v.optional(v.nullable(v.picklist(['Billable', 'DoNotBill', 'NoCharge']))),
  /** Default taxable of new lines for this product; null: the tenant's default, else the catalog item's. */
  taxable: v.optional(v.nullable(v.boolean())),
});

export function bindingRoutes(deps: ApiContext): Hono<ApiEnv> {
  return (
    new Hono<ApiEnv>()
      .use('*', requireSession(deps.sessions))
      .get('/', async (c) => {
        const ctx = await syncContextOf(deps, c.var.session);
        const [companies, products] = await Promise.all([
          ctx.repos.companyBindings.list(ctx.tenant.id),
          ctx.repos.productBindings.list(ctx.tenant.id),
        ]);
        return c.json({ companies, products });
      })
      .post('/company', async (c) => {
        const body = await jsonBody(c, CompanyBindingSchema);
        const session = c.var.session;
        const ctx = await syncContextOf(deps, session);
        const [cwCompany, pax8Company] = await Promise.all([
          ctx.upstream.getCwCompany(body.cwCompanyId),
          ctx.upstream.getPax8Company(body.pax8CompanyId),
        ]);
        if (!cwCompany)
          throw new AppError('not_found', `Company ${body.cwCompanyId} was not found in ConnectWise`);
        if (!pax8Company)
          throw new AppError('not_found', `Company ${body.pax8CompanyId} was not found in Pax8`);
        const replaced = await ctx.repos.companyBindings.byCw(ctx.tenant.id, body.cwCompanyId);
        const binding = await ctx.repos.companyBindings.bind(ctx.tenant.id, {
          ...body,
          createdBy: session.memberId,
        });
        await ctx.repos.audit.append(ctx.tenant.id, {
          actor: session.memberId,
          action: 'company.bind',
          target: `company:${body.cwCompanyId}`,
          after: { pax8CompanyId: body.pax8CompanyId, pax8Name: pax8Company.name, cwName: cwCompany.name },
        });
        // The board: the newly bound company's rows (and those of the one it replaces) are judged again.
        touchBoard(deps, ctx, {
          pax8CompanyIds: [body.pax8CompanyId, ...(replaced ? [replaced.pax8CompanyId] : [])],
        });
        return c.json({ binding: { ...binding, name: pax8Company.name } }, 201);
      })
      .get('/company/:id/prefill', async (c) => {
        const cwCompanyId = parseOrThrow(CwIdNumberSchema, Number(c.req.param('id')), 'company id');
        const ctx = await syncContextOf(deps, c.var.session);
        return c.json(await prefillOf(ctx.cw, cwCompanyId));
      })
      // Create and Bind: the story (lock, journal, look up, create, bind, audit) is bindings/create-company.ts.
      .post('/company/create', async (c) => {
        const body = await jsonBody(c, CreateAndBindSchema);
        const session = c.var.session;
        const ctx = await syncContextOf(deps, session);
        const result = await createAndBind(
          {
            tenantId: ctx.tenant.id,
            actor: session.memberId,
            repos: ctx.repos,
            cw: ctx.cw,
            pax8: ctx.pax8,
            now: deps.now,
          },
          body,
        );
        touchBoard(deps, ctx, { pax8CompanyIds: [result.binding.pax8CompanyId] });
        return c.json(result, result.outcome === 'created' ? 201 : 200);
      })
      .delete('/company', async (c) => {
        const body = await jsonBody(c, CompanyUnbindSchema);
        const session = c.var.session;
        const ctx = await syncContextOf(deps, session);
        const existing = await ctx.repos.companyBindings.byCw(ctx.tenant.id, body.cwCompanyId);
        if (
          !existing ||
          (body.pax8CompanyId !== undefined && existing.pax8CompanyId !== body.pax8CompanyId)
        ) {
          throw new AppError('not_found', `Company ${body.cwCompanyId} has no such binding`);
        }
        await ctx.repos.companyBindings.unbind(ctx.tenant.id, body.cwCompanyId);
        await ctx.repos.audit.append(ctx.tenant.id, {
          actor: session.memberId,
          action: 'company.unbind',
          target: `company:${body.cwCompanyId}`,
          before: { pax8CompanyId: existing.pax8CompanyId },
        });
        touchBoard(deps, ctx, { pax8CompanyIds: [existing.pax8CompanyId] });
        return c.json({ unbound: { cwCompanyId: body.cwCompanyId, pax8CompanyId: existing.pax8CompanyId } });
      })
      .post('/product', async (c) => {
        const body = await jsonBody(c, ProductBindingSchema);
        const session = c.var.session;
        const ctx = await syncContextOf(deps, session);
        const item = await ctx.upstream.getCatalogItem(body.cwCatalogId);
        if (!item)
          throw new AppError('not_found', `Catalog item ${body.cwCatalogId} was not found in ConnectWise`);
        const before = await ctx.repos.productBindings.get(
          ctx.tenant.id,
          body.pax8ProductId,
          body.billingTerm,
        );
        const binding = await ctx.repos.productBindings.upsert(ctx.tenant.id, {
          pax8ProductId: body.pax8ProductId,
          billingTerm: body.billingTerm,
          cwCatalogId: item.id,
          cwIdentifier: item.identifier,
          price: body.price ?? null,
          ...(body.markupPercent === undefined ? {} : { markupPercent: body.markupPercent }),
          ...(body.usage === undefined ? {} : { usage: body.usage }),
          ...(body.billCustomer === undefined ? {} : { billCustomer: body.billCustomer }),
          ...(body.taxable === undefined ? {} : { taxable: body.taxable }),
        });
        await ctx.repos.audit.append(ctx.tenant.id, {
          actor: session.memberId,
          action: 'product.bind',
          target: `product:${body.pax8ProductId}:${body.billingTerm}`,
          before,
          after: binding,
        });
        touchBoard(deps, ctx, { pax8ProductIds: [body.pax8ProductId] });
        return c.json({ binding }, 201);
      })
  );
}
