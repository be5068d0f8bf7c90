// The shapes of our own API's answers that the pod shell reads, validated at the boundary.
import * as v from 'valibot';

export const SessionSchema = v.object({
  token: v.pipe(v.string(), v.minLength(1)),
  expiresAt: v.union([v.string(), v.number()]),
  member: v.object({ id: v.string(), name: v.string(), email: v.optional(v.nullable(v.string())) }),
  tenant: v.object({ id: v.union([v.string(), v.number()]), name: v.string() }),
  /** The first view, when the pod asked for it with its session (checked by the view's own schema). */
  view: v.optional(
    v.object({ kind: v.picklist(['agreement', 'company']), id: v.number(), data: v.unknown() }),
  ),
});
export type Session = Omit<v.InferOutput<typeof SessionSchema>, 'view'>;
/** A record view that came with the session: which one, and its answer as GET /api/views gives it. */
export type FirstView = NonNullable<v.InferOutput<typeof SessionSchema>['view']>;

export const PodConfigSchema = v.object({ hostOrigins: v.array(v.string()) });
export type PodConfig = v.InferOutput<typeof PodConfigSchema>;
