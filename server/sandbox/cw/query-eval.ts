// CW's `conditions` language, evaluating half: runs a parsed AST (query.ts) over plain rows, comparing
// strings case-insensitively and checking each literal's kind against the field, as CW does.
import type { Condition, Literal } from './query.ts';

/** A literal of the wrong kind for the field, worded like CW's own message. */
export class QueryTypeError extends Error {
  constructor(field: string, expected: string, got: Literal['kind']) {
    const name = { string: 'string', number: 'numeric', date: 'datetime', bool: 'boolean', null: 'null' }[
      got
    ];
    super(
      `Expected a ${expected} value, not a ${name}, for ${field}. String values should be enclosed with double or single quotes; ` +
        'DateTime values should be enclosed in square brackets; numbers should consist of only digits, and optionally a ' +
        'decimal point and a negation sign; boolean values should be indicated with the keywords true or false; null ' +
        'values should be indicated by the keyword null.',
    );
    this.name = 'QueryTypeError';
  }
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** CW checks a literal against the field's type; the emulator infers the type from the stored value. */
function checkKind(path: readonly string[], field: unknown, lit: Literal): void {
  if (lit.kind === 'null' || field === undefined || field === null) return;
  const name = path.join('/');
  if (typeof field === 'boolean' && lit.kind !== 'bool') throw new QueryTypeError(name, 'boolean', lit.kind);
  if (typeof field === 'number' && lit.kind !== 'number') throw new QueryTypeError(name, 'numeric', lit.kind);
  if (typeof field === 'string' && isoDateTime.test(field) && lit.kind !== 'date') {
    throw new QueryTypeError(name, 'datetime', lit.kind);
  }
}

/** Reads a `/` path; field names match case-insensitively, as CW does. */
export function getPath(row: unknown, path: readonly string[]): unknown {
  let cur: unknown = row;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const obj = cur as Record<string, unknown>;
    if (part in obj) cur = obj[part];
    else {
      const lower = part.toLowerCase();
      const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
      cur = key === undefined ? undefined : obj[key];
    }
  }
  return cur;
}

/** -1/0/1, or null when the two cannot be compared (different kinds). */
function compare(field: unknown, lit: Literal): number | null {
  if (field === undefined || field === null || lit.kind === 'null') return null;
  if (lit.kind === 'date') {
    const t = typeof field === 'string' ? Date.parse(field) : Number.NaN;
    return Number.isNaN(t) ? null : Math.sign(t - lit.value);
  }
  if (lit.kind === 'number') {
    const n =
      typeof field === 'number'
        ? field
        : typeof field === 'string' && field.trim() !== ''
          ? Number(field)
          : Number.NaN;
    return Number.isNaN(n) ? null : Math.sign(n - lit.value);
  }
  if (lit.kind === 'bool') return typeof field === 'boolean' ? Number(field) - Number(lit.value) : null;
  const a = String(field).toLowerCase();
  const b = lit.value.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

const likeCache = new Map<string, RegExp>();
function likeRegex(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) =>
        c === '%' || c === '*' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('');
    re = new RegExp(`^${body}$`, 'is');
    likeCache.set(pattern, re);
  }
  return re;
}

function equals(field: unknown, lit: Literal): boolean {
  if (lit.kind === 'null') return field === undefined || field === null;
  return compare(field, lit) === 0;
}

export function evaluate(cond: Condition, row: unknown): boolean {
  switch (cond.type) {
    case 'and':
      return evaluate(cond.left, row) && evaluate(cond.right, row);
    case 'or':
      return evaluate(cond.left, row) || evaluate(cond.right, row);
    case 'not':
      return !evaluate(cond.inner, row);
    case 'in': {
      const field = getPath(row, cond.path);
      for (const v of cond.values) checkKind(cond.path, field, v);
      return cond.values.some((v) => equals(field, v));
    }
    case 'compare': {
      const field = getPath(row, cond.path);
      const lit = cond.value;
      checkKind(cond.path, field, lit);
      switch (cond.op) {
        case '=':
          return equals(field, lit);
        case '!=':
          return !equals(field, lit);
        case 'like':
          return typeof field === 'string' && lit.kind === 'string' && likeRegex(lit.value).test(field);
        case 'contains':
          return (
            typeof field === 'string' &&
            lit.kind === 'string' &&
            field.toLowerCase().includes(lit.value.toLowerCase())
          );
        default: {
          const c = compare(field, lit);
          if (c === null) return false;
          return cond.op === '<' ? c < 0 : cond.op === '<=' ? c <= 0 : cond.op === '>' ? c > 0 : c >= 0;
        }
      }
    }
  }
}
