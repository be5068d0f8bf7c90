// Writes whose outcome is unknown. A ConnectWise write that timed out, lost its connection or answered 5xx may
// still have been (or still be) processed: it is 'unknown', never 'failed', and nothing re-sends it until
// ConnectWise has been read again at a time the write can no longer land, and its marker was not there.
import { AppError } from '../errors.ts';
import type { JournalRow } from './ports.ts';

/**
 * How long after it was sent a write may still land: the ConnectWise client's timeout (20 s) plus a bound on
 * ConnectWise's own processing of a request it already holds (100 s). A read of the agreement that starts
 * after `sentAt + W` and does not show the write's marker proves the write was lost.
 */
export const UNKNOWN_OUTCOME_WINDOW_MS = 120_000;

/** Thrown by the upstream adapter when a write was sent and ConnectWise did not say whether it took it. */
export class WriteOutcomeUnknownError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'WriteOutcomeUnknownError';
  }
}

export const isWriteOutcomeUnknown = (e: unknown): e is WriteOutcomeUnknownError =>
  e instanceof WriteOutcomeUnknownError;

/** 'sent' (a process died while sending) and 'unknown' (no answer) are both settled only by a read. */
export const isOpen = (row: Pick<JournalRow, 'state'>): boolean =>
  row.state === 'sent' || row.state === 'unknown';

/** When the write can no longer land. Rows sent before sent_at was recorded were last updated when sent. */
export const landsBy = (row: Pick<JournalRow, 'sentAt' | 'updatedAt'>): Date =>
  new Date(Date.parse(row.sentAt ?? row.updatedAt) + UNKNOWN_OUTCOME_WINDOW_MS);

/** 'HH:MM UTC': the server does not know the member's time zone; details carry the ISO time for the page. */
const clockOf = (at: Date): string => `${at.toISOString().slice(11, 16)} UTC`;

/** 409 write_outcome_unknown: the words the pod shows, and when to try again. */
export function outcomeUnknown(
  subscriptionId: string,
  retryAfter: Date,
  extra: Record<string, unknown> = {},
): AppError {
  return new AppError(
    'write_outcome_unknown',
    `ConnectWise did not answer in time; we are checking whether the addition was written — try again after ${clockOf(retryAfter)}`,
    { details: { subscriptionId, retryAfter: retryAfter.toISOString(), ...extra } },
  );
}
