// Invoice descriptions as ConnectWise shows them; 6,000 characters is ConnectWise's own limit.
import { type IsoDate, type IsoMonth, monthName, usDate } from './dates.ts';
import { BillingInputError } from './errors.ts';

export const MAX_DESCRIPTION = 6000;
const SHORT_LENGTH = 50;

export function longDescription(productName: string): string {
  return `Pax8 - ${productName}`;
}

/** The first 50 characters of the long description (guide: 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ'). */
export function shortDescription(productName: string): string {
  return Array.from(longDescription(productName)).slice(0, SHORT_LENGTH).join('');
}

export function prorateDescription(short: string, periodStart: IsoDate, periodEnd: IsoDate): string {
  return `${short} - Prorated for ${usDate(periodStart)}-${usDate(periodEnd)}`;
}

/** `<short> - February 2021`, or `<short> - Feb 2021 to Apr 2021` for a span. */
export function extraMonthsDescription(short: string, first: IsoMonth, last: IsoMonth): string {
  if (first === last) return `${short} - ${monthName(first)}`;
  return `${short} - ${monthName(first, true)} to ${monthName(last, true)}`;
}

export function checkDescription(text: string, field: string): string {
  const length = Array.from(text).length;
  if (text.trim() === '') throw new BillingInputError(field, `${field} must not be empty`);
  if (length > MAX_DESCRIPTION) {
    throw new BillingInputError(field, `${field} is ${length}/${MAX_DESCRIPTION} characters, over the limit`);
  }
  return text;
}
