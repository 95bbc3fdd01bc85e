// The part of the Adaptive Card Templating language the cards are written in, parsed as
// adaptivecards-templating 2.3.1's `Template.parseInterpolatedString` and adaptive-expressions
// parse it: a string binds nothing unless it holds `${`; a string that is one `${…}` alone
// reads as that expression's value, whatever its type; any other is an interpolation, read as
// text. Inside `${…}`: paths (`a.b`, `$root.l.x`), `''`-quoted text, `null`, `true`, `false`,
// whole numbers, `!`, `==`, `!=` and `count(…)`. Anything else the engine would take (other
// functions, operators, brackets) is refused when the template is compiled, naming it, so
// that a card never expands otherwise than the engine would (tests/support/template-check.ts
// compares them on every card the tests render). The engine itself parses with ANTLR, some
// 5 MiB of heap the service no longer loads for these few forms.

/** An expression as the templates write it. */
export type Expression =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'constant'; readonly value: unknown }
  | { readonly kind: 'not'; readonly operand: Expression }
  | { readonly kind: 'equal' | 'notEqual'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'count'; readonly operand: Expression }
  /** An interpolation: each part's value as text, one after the other. `source`: as written. */
  | { readonly kind: 'concat'; readonly parts: readonly { readonly expression: Expression; readonly source: string }[] };

/** A template's text or expression that the cards' language does not have. */
export class UnsupportedExpression extends Error {
  constructor(text: string, why: string) {
    super(`template expression ${JSON.stringify(text)}: ${why}`);
  }
}

/** `text` as the engine reads a template's string: the string itself, or what it binds. */
export function parseInterpolated(text: string): string | Expression {
  if (!text.includes('${')) return text;
  // The engine parses the string as a backquoted string of adaptive-expressions, where these
  // two escape or end it.
  if (/[`\\]/.test(text)) throw new UnsupportedExpression(text, 'a backquote or a backslash beside a binding');
  const parts: { expression: Expression; source: string }[] = [];
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf('${', at);
    if (start < 0) {
      parts.push(constant(text.slice(at)));
      break;
    }
    if (start > at) parts.push(constant(text.slice(at, start)));
    const end = closingBrace(text, start + 2);
    const source = text.slice(start + 2, end);
    parts.push({ expression: parseExpression(source), source });
    at = end + 1;
  }
  // One binding alone reads as its value, as the engine has it; a constant reads as text.
  const [only] = parts;
  if (parts.length === 1 && only && only.expression.kind !== 'constant') return only.expression;
  return { kind: 'concat', parts };
}

function constant(text: string): { expression: Expression; source: string } {
  return { expression: { kind: 'constant', value: text }, source: text };
}

/** Where the `${` that opens at `from` closes: the first `}` outside quoted text. */
function closingBrace(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === "'") quoted = !quoted;
    else if (text[i] === '}' && !quoted) return i;
  }
  throw new UnsupportedExpression(text, 'a `${` that does not close');
}

const TOKEN = /\s*(?:(==|!=|!|\(|\)|\.|,)|'([^']*)'|([A-Za-z_$][A-Za-z0-9_$]*)|(\d+))/y;

type Token = { op: string } | { text: string } | { name: string } | { number: number };

function tokens(source: string): Token[] {
  const out: Token[] = [];
  // Each token takes the spaces before it; those after the last are left out here.
  const text = source.trimEnd();
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new UnsupportedExpression(source, `nothing of the cards' language at "${text.slice(at).trim()}"`);
    const [, op, quoted, name, number] = match;
    if (op !== undefined) out.push({ op });
    else if (quoted !== undefined) out.push({ text: quoted });
    else if (name !== undefined) out.push({ name });
    else out.push({ number: Number(number) });
  }
  return out;
}

/** The expression inside `${…}`. */
export function parseExpression(source: string): Expression {
  const list = tokens(source);
  let i = 0;
  const peekOp = (): string | undefined => {
    const token = list[i];
    return token && 'op' in token ? token.op : undefined;
  };
  const expect = (op: string): void => {
    if (peekOp() !== op) throw new UnsupportedExpression(source, `"${op}" expected`);
    i += 1;
  };
  const name = (): string => {
    const token = list[i];
    if (!token || !('name' in token)) throw new UnsupportedExpression(source, 'a name expected');
    i += 1;
    return token.name;
  };
  const primary = (): Expression => {
    const token = list[i];
    if (token && 'op' in token && token.op === '!') {
      i += 1;
      return { kind: 'not', operand: primary() };
    }
    if (token && 'text' in token) {
      i += 1;
      return { kind: 'constant', value: token.text };
    }
    if (token && 'number' in token) {
      i += 1;
      return { kind: 'constant', value: token.number };
    }
    const first = name();
    if (peekOp() === '(') {
      if (first !== 'count') throw new UnsupportedExpression(source, `the function ${first}()`);
      i += 1;
      const operand = equality();
      expect(')');
      return { kind: 'count', operand };
    }
    if (first === 'null' || first === 'true' || first === 'false') return { kind: 'constant', value: JSON.parse(first) as unknown };
    const names = [first];
    while (peekOp() === '.') {
      i += 1;
      names.push(name());
    }
    return { kind: 'path', path: names.join('.') };
  };
  const equality = (): Expression => {
    const left = primary();
    const op = peekOp();
    if (op !== '==' && op !== '!=') return left;
    i += 1;
    return { kind: op === '==' ? 'equal' : 'notEqual', left, right: primary() };
  };
  const expression = equality();
  if (i < list.length) throw new UnsupportedExpression(source, 'more than one expression');
  return expression;
}
