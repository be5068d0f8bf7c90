// The Hosted API bridge: protocol types, the origin-checked transport, the bridge and the pod context.
export type {
  BridgeStatus,
  EventHandler,
  EventOutcome,
  HostBridge,
  HostBridgeOptions,
  HostEvent,
} from './bridge.ts';
export { createHostBridge } from './bridge.ts';
export type { ContextResult, PodContext, RecordKind } from './context.ts';
export {
  contextFromScreenObject,
  contextFromUrl,
  describeContext,
  kindOfScreen,
  resolveContext,
} from './context.ts';
export type { BridgeErrorCode } from './errors.ts';
export { BridgeError, isBridgeError } from './errors.ts';
export type { MemberAuthentication, ScreenObject } from './protocol.ts';
export { MemberAuthenticationSchema, parseHostMessage, parsePodMessage } from './protocol.ts';
export type { Transport } from './transport.ts';
export { createTransport, originOf } from './transport.ts';
