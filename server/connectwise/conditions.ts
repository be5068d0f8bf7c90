// Builds ConnectWise `conditions` strings with every value quoted and escaped, so a company named
// `O'Brien "IT"` (or anything a user types) can neither break the query nor widen it.
import { toCwDate } from './dates.ts';

/** A finished condition. Branded so a raw, unescaped string cannot be passed by accident. */
export type Condition = string & { readonly __condition: unique symbol };

/** A calendar date or CW date-time, written in square brackets. */
export type CwDateValue = { readonly kind: 'date'; readonly value: string };
export type CwValue = string | number | boolean | null | Date | CwDateValue;

const fieldPath = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;
const cwDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function field(path: string): string {
  if (!fieldPath.test(path)) throw new TypeError(`Not a ConnectWise field path: ${JSON.stringify(path)}`);
  return path;
}

/** Double quotes around the string; backslash and double quote escaped with a backslash. */
export function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function dateLiteral(value: Date | CwDateValue): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('Invalid Date in a condition');
    return `[${value.toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;
  }
  const text = cwDateTime.test(value.value) ? value.value : toCwDate(value.value);
  return `[${text}]`;
}

export function literal(value: CwValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    // CW accepts digits, an optional decimal point and a minus sign: no exponent, no NaN.
    const text = String(value);
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`Number not expressible in a condition: ${text}`);
    return text;
  }
  return dateLiteral(value);
}

const make = (text: string) => text as Condition;
const compare = (op: string) => (path: string, value: CwValue) =>
  make(`${field(path)} ${op} ${literal(value)}`);
const join = (word: 'and' | 'or', parts: readonly (Condition | undefined | false)[]): Condition => {
  const present = parts.filter((p): p is Condition => typeof p === 'string' && p.length > 0);
  if (present.length === 1) return present[0] as Condition;
  return make(present.map((p) => `(${p})`).join(` ${word} `));
};

export const cond = {
  eq: compare('='),
  ne: compare('!='),
  gt: compare('>'),
  gte: compare('>='),
  lt: compare('<'),
  lte: compare('<='),
  /** `%` in the pattern is CW's wildcard; it cannot be escaped, so build patterns from trusted parts. */
  like: (path: string, pattern: string) => make(`${field(path)} like ${quote(pattern)}`),
  contains: (path: string, text: string) => make(`${field(path)} contains ${quote(text)}`),
  in: (path: string, values: readonly CwValue[]) => {
    if (values.length === 0) throw new RangeError(`cond.in(${path}) needs at least one value`);
    return make(`${field(path)} in (${values.map(literal).join(', ')})`);
  },
  /** A calendar date ('2020-10-01') or CW date-time, compared as a date. */
  date: (value: string): CwDateValue => ({ kind: 'date', value }),
  /** Parts that are undefined/false/empty are skipped, so optional filters compose. */
  and: (...parts: (Condition | undefined | false)[]) => join('and', parts),
  or: (...parts: (Condition | undefined | false)[]) => join('or', parts),
  /** An escape hatch for a fixed condition written by us, never by a user. */
  raw: (text: string) => make(text),
};
