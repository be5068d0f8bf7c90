// What a person types into the wizard, read strictly: a value is sent only when it is exactly what was typed
// (no rounding of 5.999, no dropping of `abc` for the old value); otherwise the field says why, in words.
// The limits mirror the server's (spec §9), so the form refuses first; the server refuses again anyway.
import type { BillCustomer, ExtraMonths, ProrateEdit } from './plan-schemas.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const MAX_QUANTITY = 100_000;
export const MAX_UNIT_PRICE_CENTS = 100_000_000;
export const MAX_MONTHS = 36;
const FIRST_DATE = '2000-01-01';
const LAST_DATE = '2099-12-31';

const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** An amount like 12.50 (a leading $ and thousands commas allowed), sent as "12.50". */
export function parseMoney(text: string, label: string): Parsed<string> {
  const t = text
    .trim()
    .replace(/^\$/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  if (t === '') return fail(`${label} is required.`);
  if (/^-/.test(t)) return fail(`${label} cannot be negative.`);
  if (/^\d+\.\d{3,}$/.test(t)) return fail(`${label} has at most 2 decimals (cents), e.g. 12.50.`);
  if (!/^(\d+(\.\d{1,2})?|\.\d{1,2})$/.test(t)) return fail(`${label} must be an amount like 12.50.`);
  const cents = Math.round(Number(t) * 100);
  if (cents > MAX_UNIT_PRICE_CENTS) return fail(`${label} must be at most $1,000,000.00.`);
  return { ok: true, value: (cents / 100).toFixed(2) };
}

/** A whole number of seats from `min` (0 cancels a recurring addition; a line needs at least 1). */
export function parseQuantity(text: string, label: string, min: 0 | 1): Parsed<number> {
  const t = text.trim();
  if (t === '') return fail(`${label} is required.`);
  if (!/^-?\d+(\.\d+)?$/.test(t)) return fail(`${label} must be a whole number.`);
  const n = Number(t);
  if (!Number.isInteger(n)) return fail(`${label} must be a whole number, not ${t}.`);
  if (n < min) return fail(min === 1 ? `${label} must be at least 1.` : `${label} cannot be negative.`);
  if (n > MAX_QUANTITY) return fail(`${label} must be at most ${MAX_QUANTITY.toLocaleString('en-US')}.`);
  return { ok: true, value: n };
}

const isCalendarDate = (t: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return false;
  const d = new Date(`${t}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === t;
};

/** A date YYYY-MM-DD (what a date input gives) from 2000 to 2099. */
export function parseDate(text: string, label: string): Parsed<string> {
  const t = text.trim();
  if (t === '') return fail(`${label} is required.`);
  if (!isCalendarDate(t)) return fail(`${label} must be a date.`);
  if (t < FIRST_DATE || t > LAST_DATE) return fail(`${label} must be between 01/01/2000 and 12/31/2099.`);
  return { ok: true, value: t };
}

/** A month YYYY-MM (what a month input gives) from 2000 to 2099. */
export function parseMonth(text: string, label: string): Parsed<string> {
  const t = text.trim();
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(t)) return fail(`${label} must be a month.`);
  if (t < '2000-01' || t > '2099-12') return fail(`${label} must be between January 2000 and December 2099.`);
  return { ok: true, value: t };
}

/** C0 and C1 control characters, line breaks and tabs included: ConnectWise prints invoice text on one line. */
const isControl = (ch: string) => {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};
export const MAX_INVOICE_TEXT = 6000;

/** Invoice text as typed: not empty, at most 6,000 characters (ConnectWise's limit), on one line. */
export function parseInvoiceText(text: string, label: string): Parsed<string> {
  if (text.trim() === '') return fail(`${label} is required.`);
  const length = Array.from(text).length;
  if (length > MAX_INVOICE_TEXT)
    return fail(`${label} is ${length}/${MAX_INVOICE_TEXT} characters, over the limit.`);
  if (Array.from(text).some(isControl))
    return fail(`${label} must be on one line: no line breaks, tabs or control characters.`);
  return { ok: true, value: text };
}

export type FormErrors = Record<string, string>;
type Read = (name: string) => string;

/** Collects each field's value or message: `errors` empty means every field was read as typed. */
function collector(errors: FormErrors) {
  return <T>(name: string, parsed: Parsed<T>): T | undefined => {
    if (parsed.ok) return parsed.value;
    errors[name] = parsed.message;
    return undefined;
  };
}

/** The inline prorate edit: only the fields that differ from the row become the edit. */
export function readProrateEdit(
  text: Read,
  row: {
    effectiveDate: string;
    quantityIncrease: number;
    unitCost: string;
    unitPrice: string;
    invoiceDescription: string;
    billCustomer?: BillCustomer | undefined;
    taxable?: boolean | undefined;
  },
): { edit: ProrateEdit; errors: FormErrors } {
  const errors: FormErrors = {};
  const take = collector(errors);
  const edit: ProrateEdit = {};
  const date = take('effectiveDate', parseDate(text('effectiveDate'), 'Effective date'));
  if (date !== undefined && date !== row.effectiveDate) edit.effectiveDate = date;
  const quantity = take('quantity', parseQuantity(text('quantity'), 'Quantity', 1));
  if (quantity !== undefined && quantity !== row.quantityIncrease) edit.quantity = quantity;
  const cost = take('unitCost', parseMoney(text('unitCost'), 'Prorate cost'));
  if (cost !== undefined && cost !== row.unitCost) edit.unitCost = cost;
  const price = take('unitPrice', parseMoney(text('unitPrice'), 'Prorate price'));
  if (price !== undefined && price !== row.unitPrice) edit.unitPrice = price;
  const description = take('description', parseInvoiceText(text('description'), 'Description'));
  if (description !== undefined && description !== row.invoiceDescription) edit.description = description;
  const billCustomer = billOptionOf(text('billCustomer'));
  if (billCustomer !== undefined && billCustomer !== row.billCustomer) edit.billCustomer = billCustomer;
  const taxable = taxableOf(text('taxable'));
  if (taxable !== undefined && taxable !== row.taxable) edit.taxable = taxable;
  return { edit, errors };
}

/** The extra-months form: every required field as typed; price and cost optional (the plan's when empty). */
export function readExtraMonths(text: Read): { extra: ExtraMonths | undefined; errors: FormErrors } {
  const errors: FormErrors = {};
  const take = collector(errors);
  const effectiveDate = take('effectiveDate', parseDate(text('effectiveDate'), 'Effective date'));
  const quantity = take('quantity', parseQuantity(text('quantity'), 'Quantity', 1));
  const startMonth = take('startMonth', parseMonth(text('startMonth'), 'Starting month'));
  const months = take('months', parseQuantity(text('months'), 'Number of months', 1));
  if (months !== undefined && months > MAX_MONTHS)
    errors.months = `Number of months must be at most ${MAX_MONTHS}.`;
  const unitPrice = text('unitPrice') ? take('unitPrice', parseMoney(text('unitPrice'), 'Price')) : undefined;
  const unitCost = text('unitCost') ? take('unitCost', parseMoney(text('unitCost'), 'Cost')) : undefined;
  if (
    Object.keys(errors).length ||
    effectiveDate === undefined ||
    quantity === undefined ||
    startMonth === undefined ||
    months === undefined
  ) {
    return { extra: undefined, errors };
  }
  const extra: ExtraMonths = { effectiveDate, quantity, startMonth, months };
  if (unitPrice !== undefined) extra.unitPrice = unitPrice;
  if (unitCost !== undefined) extra.unitCost = unitCost;
  const billCustomer = billOptionOf(text('billCustomer'));
  if (billCustomer !== undefined) extra.billCustomer = billCustomer;
  const taxable = taxableOf(text('taxable'));
  if (taxable !== undefined) extra.taxable = taxable;
  return { extra, errors };
}

const BILL_OPTIONS: readonly string[] = ['Billable', 'DoNotBill', 'NoCharge'];

/** A bill-option select's value ('' or absent: not chosen, the line keeps its default). */
export const billOptionOf = (value: string): BillCustomer | undefined =>
  BILL_OPTIONS.includes(value) ? (value as BillCustomer) : undefined;

/** A taxable select's value: 'true' / 'false', else not chosen. */
export const taxableOf = (value: string): boolean | undefined =>
  value === 'true' ? true : value === 'false' ? false : undefined;
