// The shapes of our own API's answers that the pod shell reads, validated at the boundary.
import * as v from 'valibot';

export const SessionSchema = v.object({
  token: v.pipe(v.string(), v.minLength(1)),
  expiresAt: v.union([v.string(), v.number()]),
  member: v.object({ id: v.string(), name: v.string(), email: v.optional(v.nullable(v.string())) }),
  tenant: v.object({ id: v.union([v.string(), v.number()]), name: v.string() }),
});
export type Session = v.InferOutput<typeof SessionSchema>;

export const PodConfigSchema = v.object({ hostOrigins: v.array(v.string()) });
export type PodConfig = v.InferOutput<typeof PodConfigSchema>;
