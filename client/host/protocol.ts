// The ConnectWise Hosted API wire format (reference/connectwise.md §1.4–§1.6): valibot schemas and guards
// for every message in both directions. Messages travel as JSON strings; objects are accepted as well.
import * as v from 'valibot';

const IdSchema = v.union([v.string(), v.number()]);

export const ScreenObjectSchema = v.object({
  screen: v.string(),
  id: IdSchema,
  hostedAs: v.optional(v.string()),
});
export type ScreenObject = v.InferOutput<typeof ScreenObjectSchema>;

// ConnectWise → pod.
export const FrameIdMessageSchema = v.object({ MessageFrameID: IdSchema });
export const ResponseMessageSchema = v.object({ response: v.string(), data: v.optional(v.unknown()) });
export const EventMessageSchema = v.object({
  event: v.string(),
  _id: IdSchema,
  data: v.optional(v.object({ screenObject: v.optional(ScreenObjectSchema) })),
});
export type FrameIdMessage = v.InferOutput<typeof FrameIdMessageSchema>;
export type ResponseMessage = v.InferOutput<typeof ResponseMessageSchema>;
export type EventMessage = v.InferOutput<typeof EventMessageSchema>;

export type HostMessage =
  | { kind: 'frame-id'; message: FrameIdMessage }
  | { kind: 'response'; message: ResponseMessage }
  | { kind: 'event'; message: EventMessage };

// Pod → ConnectWise.
export const ReadyMessageSchema = v.object({ message: v.literal('ready') });
export const RequestMessageSchema = v.object({
  hosted_request: v.string(),
  args: v.optional(v.record(v.string(), v.unknown())),
  frameID: v.optional(IdSchema),
});
export const AckMessageSchema = v.object({
  event: v.string(),
  _id: IdSchema,
  result: v.picklist(['success', 'failure']),
  errors: v.optional(v.array(v.string())),
  frameID: v.optional(IdSchema),
});
export type ReadyMessage = v.InferOutput<typeof ReadyMessageSchema>;
export type RequestMessage = v.InferOutput<typeof RequestMessageSchema>;
export type AckMessage = v.InferOutput<typeof AckMessageSchema>;

export type PodMessage =
  | { kind: 'ready'; message: ReadyMessage }
  | { kind: 'request'; message: RequestMessage }
  | { kind: 'ack'; message: AckMessage };

/** getMemberAuthentication's `data` (§1.6); lower-case `companyid`/`memberid` as ConnectWise sends them. */
export const MemberAuthenticationSchema = v.object({
  site: v.pipe(v.string(), v.minLength(1)),
  companyid: v.pipe(v.string(), v.minLength(1)),
  memberid: v.pipe(v.string(), v.minLength(1)),
  memberHash: v.pipe(v.string(), v.minLength(1)),
  memberContext: v.optional(v.string()),
  memberEmail: v.optional(v.string()),
  codeBase: v.optional(v.string()),
});
export type MemberAuthentication = v.InferOutput<typeof MemberAuthenticationSchema>;

/** The requests the pod makes; ConnectWise answers under the lower-cased name. */
export type HostedRequestName = 'getMemberAuthentication' | 'refreshScreen' | 'setDirty' | 'openScreen';

function decode(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** What ConnectWise sent the pod, or undefined for anything malformed or unknown. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  const value = decode(data);
  const event = v.safeParse(EventMessageSchema, value);
  if (event.success) return { kind: 'event', message: event.output };
  const response = v.safeParse(ResponseMessageSchema, value);
  if (response.success) return { kind: 'response', message: response.output };
  const frame = v.safeParse(FrameIdMessageSchema, value);
  if (frame.success) return { kind: 'frame-id', message: frame.output };
  return undefined;
}

/** What a pod sent the host (used by the sandbox host page), or undefined for anything else. */
export function parsePodMessage(data: unknown): PodMessage | undefined {
  const value = decode(data);
  const ack = v.safeParse(AckMessageSchema, value);
  if (ack.success) return { kind: 'ack', message: ack.output };
  const request = v.safeParse(RequestMessageSchema, value);
  if (request.success) return { kind: 'request', message: request.output };
  const ready = v.safeParse(ReadyMessageSchema, value);
  if (ready.success) return { kind: 'ready', message: ready.output };
  return undefined;
}

/** Messages go out as JSON strings, like ConnectWise's own client (§1.4). */
export function encode(message: object): string {
  return JSON.stringify(message);
}
