// The sandbox's one clock. In sandbox mode the product's injected now() IS this clock, so plans, sessions'
// business dates and both emulators agree on "today". Model: a chosen date plus the real time elapsed since
// it was set (sessions and JWT expiry need real seconds). A chosen date starts at 12:00 UTC, so the day does
// not roll over for twelve real hours; without a chosen date the clock is the real time.
const DAY_MS = 86_400_000;
const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The latest date the sandbox clock moves to (the pod's date fields take up to this day too). */
export const SANDBOX_LAST_DAY = '2099-12-31';

/** True for a real calendar date written YYYY-MM-DD (2027-02-29 and 2026-13-01 are not). */
export function isCalendarDay(value: string): boolean {
  const m = isoDay.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export type SandboxClock = {
  now(): Date;
  /** The sandbox's today, YYYY-MM-DD (UTC). */
  today(): string;
  /** Sets today to `day` (12:00 UTC, then ticking). */
  setToday(day: string): void;
  /** Calls `listener` after every setToday (the scheduler looks for a run made due); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
};

export function createSandboxClock(
  opts: { today?: string | undefined; realNow?: () => Date } = {},
): SandboxClock {
  const realNow = opts.realNow ?? (() => new Date());
  // now() = base + (real now − set at); with no chosen date base = set at, i.e. the real time.
  let setAt = realNow().getTime();
  let base = setAt;
  const listeners = new Set<() => void>();
  const setToday = (day: string) => {
    if (!isCalendarDay(day)) throw new Error(`Not a date (YYYY-MM-DD): ${day}`);
    setAt = realNow().getTime();
    base = Date.parse(`${day}T12:00:00.000Z`);
    for (const listener of listeners) listener();
  };
  if (opts.today !== undefined) setToday(opts.today);
  const now = () => new Date(base + (realNow().getTime() - setAt));
  const onChange = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return { now, today: () => now().toISOString().slice(0, 10), setToday, onChange };
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
