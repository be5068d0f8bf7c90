// Typed failures of the host bridge, so the pod can show a clear state for each.
export type BridgeErrorCode = 'timeout' | 'not-framed' | 'bad-message' | 'closed';

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
  }
}

export function isBridgeError(err: unknown): err is BridgeError {
  return err instanceof BridgeError;
}
