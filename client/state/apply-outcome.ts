// What the pod says when an apply did not finish: a write ConnectWise did not answer is neither done nor
// failed, so the words say we are checking and when to try again, in the member's own time.
import { messageOf } from './agreement-model.ts';
import { ApiError } from './api.ts';

const pad = (n: number) => String(n).padStart(2, '0');
/** HH:MM in the browser's time zone. */
export const localClock = (at: Date): string => `${pad(at.getHours())}:${pad(at.getMinutes())}`;

export function applyFailureMessage(err: unknown, fallback: string, clock = localClock): string {
  if (err instanceof ApiError && err.code === 'write_outcome_unknown') {
    const retryAfter = (err.details as { retryAfter?: unknown } | undefined)?.retryAfter;
    const at = typeof retryAfter === 'string' ? new Date(retryAfter) : null;
    const when = at && !Number.isNaN(at.getTime()) ? `after ${clock(at)}` : 'in two minutes';
    return `ConnectWise did not answer in time; we are checking whether the addition was written — try again ${when}. Nothing is written twice.`;
  }
  return messageOf(err, fallback);
}
