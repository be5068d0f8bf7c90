// The shapes of /api/audit/unsynced and /api/companies as the app reads them, validated at the boundary.
import * as v from 'valibot';

export const UnsyncedReasonSchema = v.picklist([
  'company_not_bound',
  'product_not_bound',
  'never_synced',
  'changed_since_sync',
  'arrears',
  'not_on_agreement',
  'quantity_differs',
  'price_differs',
  'prorate_pending',
  'duplicate',
  'double_billed',
  'written_by_hand',
  'cancelled_billing',
  'trial_billing',
]);
export type UnsyncedReason = v.InferOutput<typeof UnsyncedReasonSchema>;

export const AuditSubscriptionSchema = v.object({
  id: v.string(),
  companyId: v.string(),
  companyName: v.string(),
  productName: v.string(),
  quantity: v.number(),
  billingTerm: v.string(),
  status: v.string(),
  updatedDate: v.nullable(v.string()),
});
export type AuditSubscription = v.InferOutput<typeof AuditSubscriptionSchema>;

export const UnsyncedRowSchema = v.object({
  subscription: AuditSubscriptionSchema,
  cwCompanyId: v.nullable(v.number()),
  reason: UnsyncedReasonSchema,
  /** Judged from ConnectWise's additions: the money in words (absent from an older server). */
  money: v.optional(v.object({ message: v.string(), term: v.optional(v.string()) })),
});
export type UnsyncedRow = v.InferOutput<typeof UnsyncedRowSchema>;

export const IgnoredRowSchema = v.object({
  subscriptionId: v.string(),
  note: v.string(),
  ignoredBy: v.string(),
  ignoredAt: v.string(),
  subscription: v.nullable(AuditSubscriptionSchema),
  cwCompanyId: v.nullable(v.number()),
  reason: v.nullable(UnsyncedReasonSchema),
});
export type IgnoredRow = v.InferOutput<typeof IgnoredRowSchema>;

export const UnsyncedAuditSchema = v.object({
  checkedAt: v.string(),
  checked: v.object({
    subscriptions: v.number(),
    companies: v.number(),
    nothingRead: v.boolean(),
    statement: v.string(),
  }),
  counts: v.object({
    subscriptions: v.number(),
    nonArrears: v.number(),
    arrears: v.number(),
    ignored: v.number(),
    synced: v.number(),
    ended: v.number(),
  }),
  nonArrears: v.array(UnsyncedRowSchema),
  arrears: v.array(UnsyncedRowSchema),
  ignored: v.array(IgnoredRowSchema),
  /** The server's page (issue 13): absent from an unpaged answer, which holds every row. */
  page: v.optional(v.object({ nextCursor: v.nullable(v.string()) })),
});
export type UnsyncedAudit = v.InferOutput<typeof UnsyncedAuditSchema>;

export const IgnoreResultSchema = v.object({ ignored: v.object({ subscriptionId: v.string() }) });
export const RestoreResultSchema = v.object({ restored: v.object({ subscriptionId: v.string() }) });

const CandidateSchema = v.object({ pax8CompanyId: v.string(), name: v.string(), score: v.number() });

export const CompanyRowSchema = v.object({
  cwCompany: v.object({ id: v.number(), name: v.string(), identifier: v.string() }),
  pax8Company: v.nullable(v.object({ id: v.string(), name: v.string() })),
  candidates: v.array(CandidateSchema),
});
export type CompanyRow = v.InferOutput<typeof CompanyRowSchema>;

export const CompaniesSchema = v.object({
  companies: v.array(CompanyRowSchema),
  counts: v.object({ cwCompanies: v.number(), pax8Companies: v.number(), bound: v.number() }),
});
export type Companies = v.InferOutput<typeof CompaniesSchema>;

/** The reasons in words, for the table and screen readers. */
export const reasonLabels: Record<UnsyncedReason, string> = {
  company_not_bound: 'Company not bound',
  product_not_bound: 'Product not bound',
  never_synced: 'Never synced',
  changed_since_sync: 'Changed since last sync',
  arrears: 'Billed in arrears',
  not_on_agreement: 'Not on an agreement any more',
  quantity_differs: 'Quantity differs',
  price_differs: 'Price differs',
  prorate_pending: 'Prorate not billed',
  duplicate: 'Billed twice',
  double_billed: 'On two agreements',
  written_by_hand: 'Written by hand',
  cancelled_billing: 'Cancelled, still billing',
  trial_billing: 'Trial, billing',
};
