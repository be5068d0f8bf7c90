// CW's `conditions` language: tokenizer + recursive descent parser to an AST, and an evaluator over
// plain rows. Grammar: or := and (OR and)*; and := unary (AND unary)*; unary := NOT unary | '(' or ')' | cmp.
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'date'; value: number; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'contains';

export type Condition =
  | { type: 'and' | 'or'; left: Condition; right: Condition }
  | { type: 'not'; inner: Condition }
  | { type: 'compare'; path: string[]; op: CompareOp; value: Literal }
  | { type: 'in'; path: string[]; values: Literal[] };

export class QuerySyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'QuerySyntaxError';
    this.position = position;
  }
}

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

type Token =
  | { t: 'word'; text: string; pos: number }
  | { t: 'op'; text: string; pos: number }
  | { t: 'lit'; lit: Literal; pos: number }
  | { t: 'punct'; text: '(' | ')' | ','; pos: number }
  | { t: 'end'; pos: number };

const wordStart = /[A-Za-z_]/;
const wordChar = /[A-Za-z0-9_/.]/;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i;
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'punct', text: ch, pos });
      i++;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new QuerySyntaxError('Unterminated string', pos);
        const c = input[i] as string;
        if (c === '\\' && i + 1 < input.length) {
          value += input[i + 1];
          i += 2;
        } else if (c === ch) {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      tokens.push({ t: 'lit', lit: { kind: 'string', value }, pos });
    } else if (ch === '[') {
      const close = input.indexOf(']', i);
      if (close < 0) throw new QuerySyntaxError("Unterminated date, expected ']'", pos);
      const text = input.slice(i + 1, close).trim();
      const value = Date.parse(text);
      if (Number.isNaN(value)) throw new QuerySyntaxError(`Invalid date [${text}]`, pos);
      tokens.push({ t: 'lit', lit: { kind: 'date', value, text }, pos });
      i = close + 1;
    } else if (/[0-9]/.test(ch) || ((ch === '-' || ch === '.') && /[0-9.]/.test(input[i + 1] ?? ''))) {
      const m = /^-?[0-9]*\.?[0-9]+/.exec(input.slice(i));
      if (!m) throw new QuerySyntaxError(`Unexpected character '${ch}'`, pos);
      tokens.push({ t: 'lit', lit: { kind: 'number', value: Number(m[0]) }, pos });
      i += m[0].length;
    } else if (ch === '=' || ch === '<' || ch === '>' || ch === '!') {
      const two = input.slice(i, i + 2);
      const op = two === '!=' || two === '<=' || two === '>=' || two === '<>' ? two : ch;
      if (op === '!') throw new QuerySyntaxError("Unexpected '!', did you mean '!='", pos);
      tokens.push({ t: 'op', text: op === '<>' ? '!=' : op, pos });
      i += op.length;
    } else if (wordStart.test(ch)) {
      let j = i + 1;
      while (j < input.length && wordChar.test(input[j] as string)) j++;
      const text = input.slice(i, j);
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'false')
        tokens.push({ t: 'lit', lit: { kind: 'bool', value: lower === 'true' }, pos });
      else if (lower === 'null') tokens.push({ t: 'lit', lit: { kind: 'null' }, pos });
      else tokens.push({ t: 'word', text, pos });
      i = j;
    } else {
      throw new QuerySyntaxError(`Unexpected character '${ch}'`, pos);
    }
  }
  tokens.push({ t: 'end', pos: input.length });
  return tokens;
}

const isKeyword = (tok: Token, kw: string) => tok.t === 'word' && tok.text.toLowerCase() === kw;

export function parseConditions(input: string): Condition {
  const tokens = tokenize(input);
  let k = 0;
  const peek = () => tokens[k] as Token;
  const next = () => tokens[k++] as Token;

  const parseOr = (): Condition => {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      next();
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Condition => {
    let left = parseUnary();
    while (isKeyword(peek(), 'and')) {
      next();
      left = { type: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Condition => {
    const tok = peek();
    if (isKeyword(tok, 'not')) {
      next();
      return { type: 'not', inner: parseUnary() };
    }
    if (tok.t === 'punct' && tok.text === '(') {
      next();
      const inner = parseOr();
      const close = next();
      if (close.t !== 'punct' || close.text !== ')') throw new QuerySyntaxError("Expected ')'", close.pos);
      return inner;
    }
    return parseComparison();
  };
  const parseValue = (after: string, at: number): Literal => {
    const tok = next();
    if (tok.t !== 'lit')
      throw new QuerySyntaxError(`Expected a value after '${after}'`, tok.t === 'end' ? at : tok.pos);
    return tok.lit;
  };
  const parseComparison = (): Condition => {
    const field = next();
    if (field.t !== 'word') throw new QuerySyntaxError('Expected a field name', field.pos);
    const path = field.text.split('/').filter((p) => p !== '');
    let negate = false;
    let opTok = next();
    if (isKeyword(opTok, 'not')) {
      negate = true;
      opTok = next();
    }
    let cond: Condition;
    if (opTok.t === 'op' && !negate) {
      cond = {
        type: 'compare',
        path,
        op: opTok.text as CompareOp,
        value: parseValue(opTok.text, opTok.pos + opTok.text.length),
      };
    } else if (isKeyword(opTok, 'like') || isKeyword(opTok, 'contains')) {
      const op = (opTok as { text: string }).text.toLowerCase() as 'like' | 'contains';
      const value = parseValue(op, opTok.pos + op.length);
      if (value.kind !== 'string')
        throw new QuerySyntaxError(`Expected a string value after '${op}'`, opTok.pos + op.length);
      cond = { type: 'compare', path, op, value };
    } else if (isKeyword(opTok, 'in')) {
      const open = next();
      if (open.t !== 'punct' || open.text !== '(')
        throw new QuerySyntaxError("Expected '(' after 'in'", open.pos);
      const values: Literal[] = [parseValue('(', open.pos + 1)];
      for (;;) {
        const sep = next();
        if (sep.t === 'punct' && sep.text === ')') break;
        if (sep.t !== 'punct' || sep.text !== ',')
          throw new QuerySyntaxError("Expected ',' or ')' in 'in' list", sep.pos);
        values.push(parseValue(',', sep.pos + 1));
      }
      cond = { type: 'in', path, values };
    } else {
      throw new QuerySyntaxError(`Expected an operator after '${field.text}'`, opTok.pos);
    }
    return negate ? { type: 'not', inner: cond } : cond;
  };

  if (peek().t === 'end') throw new QuerySyntaxError('Expected a condition', 0);
  const ast = parseOr();
  const rest = peek();
  if (rest.t !== 'end')
    throw new QuerySyntaxError("Expected 'and', 'or' or the end of the conditions", rest.pos);
  return ast;
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
