// Exact money as integer cents: parse without float drift, round half-up, print with two places.
import { BillingInputError } from './errors.ts';

export type Cents = number;
export type MoneyInput = number | string;

const MONEY = /^(\d+)(?:\.(\d+))?$/;

/** Parses a non-negative amount into cents; more than two decimals is only allowed when the extra digits are 0. */
export function toCents(value: MoneyInput, field: string): Cents {
  const text = typeof value === 'number' ? numberText(value, field) : value.trim().replace(/^\$/, '');
  const match = MONEY.exec(text);
  if (!match)
    throw new BillingInputError(field, `${field} must be a non-negative amount, got "${String(value)}"`);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (/[1-9]/.test(fraction.slice(2))) {
    throw new BillingInputError(
      field,
      `${field} must have at most two decimal places, got "${String(value)}"`,
    );
  }
  const cents = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) throw new BillingInputError(field, `${field} is too large`);
  return cents;
}

// A JS number such as 0.1 + 0.2 is a cent value plus float noise; accept it only when it is that close to a cent.
function numberText(value: number, field: string): string {
  if (!Number.isFinite(value) || value < 0) {
    throw new BillingInputError(field, `${field} must be a non-negative amount, got ${String(value)}`);
  }
  const cents = Math.round(value * 100);
  if (Math.abs(value * 100 - cents) > 1e-6) {
    throw new BillingInputError(field, `${field} must have at most two decimal places, got ${String(value)}`);
  }
  return formatCents(cents);
}

/** `cents × numerator / denominator`, rounded half-up to a cent (all inputs non-negative integers). */
export function mulDivHalfUp(cents: Cents, numerator: number, denominator: number): Cents {
  const product = BigInt(cents) * BigInt(numerator);
  const d = BigInt(denominator);
  return Number((product * 2n + d) / (d * 2n));
}

/** `cents × count` (a line total, or a monthly price times months); past 2^53 cents it is refused, not rounded. */
export function timesCents(cents: Cents, count: number, field: string): Cents {
  const total = cents * count;
  if (!Number.isSafeInteger(total)) throw new BillingInputError(field, `${field} makes a total too large`);
  return total;
}

/** A line's unit and total figures, as written to ConnectWise and shown in the review. */
export type LineMoney = { unitCost: string; unitPrice: string; totalCost: string; totalPrice: string };

/** The four figures of a line of `quantity` units; `field` names the quantity when a total is too large. */
export function lineMoney(unitCost: Cents, unitPrice: Cents, quantity: number, field: string): LineMoney {
  return {
    unitCost: formatCents(unitCost),
    unitPrice: formatCents(unitPrice),
    totalCost: formatCents(timesCents(unitCost, quantity, field)),
    totalPrice: formatCents(timesCents(unitPrice, quantity, field)),
  };
}

export function formatCents(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Dollars as people read them, thousands grouped: 150480 → '$1,504.80', -500 → '-$5.00'. Amounts sent to
 * ConnectWise or answered as API values use formatCents.
 */
export function dollars(cents: Cents): string {
  const [whole = '0', fraction = '00'] = formatCents(Math.abs(cents)).split('.');
  return `${cents < 0 ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** Seat counts are whole, non-negative numbers. */
export function toQuantity(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BillingInputError(field, `${field} must be a whole number of seats ≥ 0, got ${String(value)}`);
  }
  return value;
}
