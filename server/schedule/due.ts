// When a scheduled sync is due: a time of day on the tenant's wall clock (an IANA time zone, UTC by default),
// turned into instants with the platform's time-zone data. Pure: `now` is always passed in.
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export type ScheduleTime = { timeOfDay: string; timeZone: string };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for an IANA zone the platform knows ('Europe/London', 'UTC'). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatOf(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, f);
  }
  return f;
}

/** The wall clock of `zone` at instant `t`, read as if it were UTC (ms). */
function wallAt(t: number, zone: string): number {
  const parts = formatOf(zone).formatToParts(new Date(t));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/** The zone's offset from UTC at instant `t` (ms; New York in winter: −5 h). */
const offsetAt = (t: number, zone: string): number => wallAt(t, zone) - Math.floor(t / 1000) * 1000;

/** The zone's calendar day at instant `t`, YYYY-MM-DD. */
export const localDay = (t: number, zone: string): string =>
  new Date(wallAt(t, zone)).toISOString().slice(0, 10);

const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * The instant the zone's wall clock reads `day` `time`. A time a DST jump skips (02:30 on a spring-forward
 * night) runs as late as the jump (03:30); a time read twice (01:30 on a fall-back night) runs the first time:
 * Temporal's 'compatible' choice, so a run is never lost and never doubled.
 */
export function instantOf(day: string, time: string, zone: string): number {
  const m = HHMM.exec(time);
  if (!m) throw new Error(`Not a time of day (HH:MM): ${time}`);
  const wall = Date.parse(`${day}T${m[1]}:${m[2]}:00Z`);
  const before = offsetAt(wall - 14 * HOUR_MS, zone);
  const after = offsetAt(wall + 14 * HOUR_MS, zone);
  const valid = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((t) => wallAt(t, zone) === wall)
    .sort((a, b) => a - b);
  return valid[0] ?? wall - before;
}

/** The latest scheduled instant at or before `now` (ISO): the run that is due, if it has not run yet. */
export function dueSlot(now: Date, s: ScheduleTime): string {
  const t = now.getTime();
  const today = localDay(t, s.timeZone);
  const at = instantOf(today, s.timeOfDay, s.timeZone);
  const slot = at <= t ? at : instantOf(addDays(today, -1), s.timeOfDay, s.timeZone);
  return new Date(slot).toISOString();
}

/** The first scheduled instant after `now` (ISO): what the Settings page shows as the next run. */
export function nextSlot(now: Date, s: ScheduleTime): string {
  const t = now.getTime();
  const today = localDay(t, s.timeZone);
  const at = instantOf(today, s.timeOfDay, s.timeZone);
  const slot = at > t ? at : instantOf(addDays(today, 1), s.timeOfDay, s.timeZone);
  return new Date(slot).toISOString();
}
