// Invoice descriptions as ConnectWise shows them; 6,000 characters is ConnectWise's own limit.
import { type IsoDate, type IsoMonth, monthName, usDate } from './dates.ts';
import { BillingInputError } from './errors.ts';

export const MAX_DESCRIPTION = 6000;
const SHORT_LENGTH = 50;

export function longDescription(productName: string): string {
  return `Pax8 - ${productName}`;
}

/**
 * The guide's "Microsoft" option: the product as its vendor names it, without Pax8's " - Includes …" tail
 * (guide: "Pax8 - Microsoft Office 365 Enterprise E3 - Prorated for 01/17/2021-01/31/2021"). A name with no
 * " - " is kept whole.
 */
export function microsoftDescription(productName: string): string {
  const own = productName.split(' - ')[0]?.trim() || productName;
  return longDescription(own);
}

/** The first 50 characters of the long description (guide: 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ'). */
/** The first 50 characters of the long text; a cut that lands inside a separator drops it (never "… - "). */
export function shortDescription(productName: string): string {
  return trimCutText(Array.from(longDescription(productName)).slice(0, SHORT_LENGTH).join(''));
}

/**
 * The short text as a suffix's stem: a cut at 50 characters can fall inside a separator ("… Plan 1 - "), and
 * "<short> - Prorated for …" would then read "… -  - Prorated for …". Trailing spaces, dashes and punctuation
 * go; a text that is nothing but separators stays as it is.
 */
export function trimCutText(text: string): string {
  const trimmed = text.replace(/[\s\-–—:,;|/]+$/u, '');
  return trimmed === '' ? text : trimmed;
}

export function prorateDescription(short: string, periodStart: IsoDate, periodEnd: IsoDate): string {
  return `${trimCutText(short)} - Prorated for ${usDate(periodStart)}-${usDate(periodEnd)}`;
}

/** `<short> - February 2021`, or `<short> - Feb 2021 to Apr 2021` for a span. */
export function extraMonthsDescription(short: string, first: IsoMonth, last: IsoMonth): string {
  const stem = trimCutText(short);
  if (first === last) return `${stem} - ${monthName(first)}`;
  return `${stem} - ${monthName(first, true)} to ${monthName(last, true)}`;
}

export function checkDescription(text: string, field: string): string {
  const length = Array.from(text).length;
  if (text.trim() === '') throw new BillingInputError(field, `${field} must not be empty`);
  if (length > MAX_DESCRIPTION) {
    throw new BillingInputError(field, `${field} is ${length}/${MAX_DESCRIPTION} characters, over the limit`);
  }
  return text;
}
