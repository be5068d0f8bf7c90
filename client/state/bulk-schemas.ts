// What /api/bulk answers, checked at the boundary: the combined review, a job's progress, an undo review.
import * as v from 'valibot';

const TotalsSchema = v.object({ lines: v.number(), price: v.string(), cost: v.string() });

export const BulkLineSchema = v.object({
  id: v.string(),
  seq: v.number(),
  subscriptionId: v.string(),
  productName: v.string(),
  title: v.string(),
  kind: v.string(),
  action: v.string(),
  quantity: v.number(),
  unitPrice: v.string(),
  totalPrice: v.string(),
  totalCost: v.string(),
  marginPercent: v.nullable(v.string()),
  belowMarginFloor: v.boolean(),
});
export type BulkLine = v.InferOutput<typeof BulkLineSchema>;

export const BulkReviewSchema = v.object({
  planId: v.string(),
  expiresAt: v.string(),
  groups: v.array(
    v.object({
      agreementId: v.number(),
      agreementName: v.string(),
      companyName: v.string(),
      lines: v.array(BulkLineSchema),
      totals: TotalsSchema,
    }),
  ),
  refused: v.array(
    v.object({ subscriptionId: v.string(), agreementId: v.number(), code: v.string(), message: v.string() }),
  ),
  totals: TotalsSchema,
  marginFloorPercent: v.nullable(v.number()),
});
export type BulkReview = v.InferOutput<typeof BulkReviewSchema>;

export const BulkJobSchema = v.object({
  id: v.string(),
  kind: v.picklist(['apply', 'undo']),
  state: v.picklist(['queued', 'running', 'done']),
  total: v.number(),
  done: v.number(),
  failed: v.number(),
  waiting: v.number(),
  finished: v.number(),
  /** The job's change counter: the next poll asks `?since=<cursor>` for only the items changed after it. */
  cursor: v.optional(v.string()),
  items: v.array(
    v.object({
      seq: v.number(),
      state: v.string(),
      subscriptionId: v.string(),
      agreementId: v.number(),
      lines: v.array(
        v.object({
          id: v.string(),
          key: v.string(),
          state: v.string(),
          additionId: v.nullable(v.number()),
          message: v.optional(v.string()),
        }),
      ),
    }),
  ),
});
export type BulkJob = v.InferOutput<typeof BulkJobSchema>;

export const UndoReviewSchema = v.object({
  planId: v.string(),
  ofJobId: v.string(),
  lines: v.array(
    v.object({
      id: v.string(),
      additionId: v.number(),
      agreementId: v.number(),
      action: v.picklist(['remove', 'restore', 'lift_cancel']),
      title: v.string(),
      fields: v.array(v.object({ field: v.string(), from: v.unknown(), to: v.unknown() })),
    }),
  ),
});
export type UndoReview = v.InferOutput<typeof UndoReviewSchema>;
