// Calendar arithmetic on 'YYYY-MM-DD' and 'YYYY-MM' strings, by hand: no time zones, no local Date.
import { BillingInputError } from './errors.ts';

export type IsoDate = string;
export type IsoMonth = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export type DateParts = { year: number; month: number; day: number };

export function parseDate(value: string, field: string): DateParts {
  const match = DATE.exec(value);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new BillingInputError(field, `${field} must be a calendar date YYYY-MM-DD, got "${value}"`);
  }
  return { year, month, day };
}

export function parseMonth(value: string, field: string): { year: number; month: number } {
  const match = MONTH.exec(value);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) {
    throw new BillingInputError(field, `${field} must be a month YYYY-MM, got "${value}"`);
  }
  return { year, month };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function isoMonth(year: number, month: number): IsoMonth {
  return `${pad(year, 4)}-${pad(month)}`;
}

export function monthOf(date: IsoDate): IsoMonth {
  return date.slice(0, 7);
}

/** Shifts a 'YYYY-MM' by n months (n may be negative). */
export function addMonths(month: IsoMonth, n: number): IsoMonth {
  const { year, month: m } = parseMonth(month, 'month');
  const index = year * 12 + (m - 1) + n;
  return isoMonth(Math.floor(index / 12), (index % 12) + 1);
}

export function firstOfMonth(month: IsoMonth): IsoDate {
  return `${month}-01`;
}

export function endOfMonth(month: IsoMonth): IsoDate {
  const { year, month: m } = parseMonth(month, 'month');
  return isoDate(year, m, daysInMonth(year, m));
}

export function firstOfNextMonth(date: IsoDate): IsoDate {
  return firstOfMonth(addMonths(monthOf(date), 1));
}

export function dayBefore(date: IsoDate): IsoDate {
  const { year, month, day } = parseDate(date, 'date');
  if (day > 1) return isoDate(year, month, day - 1);
  return endOfMonth(addMonths(monthOf(date), -1));
}

export function dayAfter(date: IsoDate): IsoDate {
  const { year, month, day } = parseDate(date, 'date');
  if (day < daysInMonth(year, month)) return isoDate(year, month, day + 1);
  return firstOfNextMonth(date);
}

/** 'YYYY-MM-DD' → 'MM/DD/YYYY', the form ConnectWise users read. */
export function usDate(date: IsoDate): string {
  const { year, month, day } = parseDate(date, 'date');
  return `${pad(month)}/${pad(day)}/${pad(year, 4)}`;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function monthName(month: IsoMonth, short = false): string {
  const { year, month: m } = parseMonth(month, 'month');
  const name = MONTH_NAMES[m - 1] ?? '';
  return `${short ? name.slice(0, 3) : name} ${year}`;
}

export const laterOf = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);

export const earlierOf = (a: string, b: string): string => (a < b ? a : b);
