// Calendar helpers for the emulator's data: UTC only, so the same `now` always gives the same data.
export type DateInput = Date | string;

/** A date-time on the wire: a plain date 'YYYY-MM-DD' means midnight UTC. */
const fullIso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isoOf(value: DateInput): string {
  if (value instanceof Date) return value.toISOString();
  if (fullIso.test(value)) return value;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(d.getTime())) throw new Error(`Not a date: ${value}`);
  return d.toISOString();
}

export const dayOf = (value: DateInput): string => isoOf(value).slice(0, 10);

export function addDays(value: DateInput, days: number): string {
  const d = new Date(isoOf(value));
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString();
}

export function addMonths(value: DateInput, months: number): string {
  const d = new Date(isoOf(value));
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
}

/** The first day of the month `offset` months from `value` (0 = its own month). */
export function monthStart(value: DateInput, offset = 0): string {
  const d = new Date(isoOf(value));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString();
}

/** The last calendar day of the month of `value`, as 'YYYY-MM-DD'. */
export function monthEnd(value: DateInput): string {
  const d = new Date(isoOf(value));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

export function daysInMonth(value: DateInput): number {
  return Number(monthEnd(value).slice(8, 10));
}

export const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;
