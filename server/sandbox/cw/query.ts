// CW's `conditions` language, parsing half: tokenizer + recursive descent parser to an AST (query-eval.ts
// evaluates it). Grammar: or := and (OR and)*; and := unary (AND unary)*; unary := NOT unary | '(' or ')' | cmp.
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
