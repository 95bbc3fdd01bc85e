import { isDeepStrictEqual as isEqual } from 'node:util';
import * as AEL from 'adaptive-expressions';
import * as ACData from 'adaptivecards-templating';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/cards/template-compiler.js';
import { parseInterpolated, UnsupportedExpression, type Expression } from '../../src/cards/template-expressions.js';
import { CARD_NAMES, templateJson } from '../../src/cards/templates.js';

// The compiled templates must expand exactly as adaptivecards-templating does. Every card
// the tests render is compared with the engine's (tests/support/template-check.ts); here
// are the rules the cards rarely reach, each against the engine itself, every binding of
// every card parsed by both, and what the compiler refuses.

function engine(template: unknown, data: unknown): unknown {
  return new ACData.Template(template).expand({ $root: data });
}

function compiled(template: unknown, data: unknown): unknown {
  return compileTemplate(template)(data);
}

const cases: [string, unknown, unknown][] = [
  [
    'a path, a nested path, a value that is not a string',
    { a: '${a}', b: '${b.c}', n: '${n}', t: '${t}', o: '${o}' },
    { a: 'x', b: { c: 'y' }, n: 3, t: true, o: { k: [1] } },
  ],
  ['a missing path reads as written', { a: '${missing}', b: 'Bonjour ${who.name} !', c: '${$root.l.none}' }, { who: {} }],
  ['an interpolation of numbers, booleans and text', { text: '${n} · ${t} · ${s}' }, { n: 0, t: false, s: '' }],
  ['a key found whatever its case', { a: '${Title}', b: '${l.TITLE}' }, { title: 'x', l: { Title: 'y' } }],
  ['user text with a binding in it stays literal', { a: '${text}', b: '« ${text} »' }, { text: '${$root} ${join(createArray(1,2), ",")}' }],
  [
    '$when: true keeps, false or anything not a boolean drops',
    {
      body: [
        { $when: '${yes}', t: 1 },
        { $when: '${no}', t: 2 },
        { $when: '${one}', t: 3 },
        { $when: '${missing}', t: 4 },
        { $when: '${!no}', t: 5 },
      ],
    },
    { yes: true, no: false, one: 1 },
  ],
  [
    '$when comparisons and functions',
    {
      body: [
        { $when: "${s != ''}", t: 1 },
        { $when: '${count(list) == 0}', t: 2 },
        { $when: '${c != null}', t: 3 },
        { $when: '${count(missing) == 0}', t: 4 },
        { $when: '${count(s) == 1}', t: 5 },
        { $when: '${!list}', t: 6 },
        { $when: '${n == 2}', t: 7 },
        { $when: '${o == p}', t: 8 },
        { $when: '${u == null}', t: 9 },
        { $when: '${t != false}', t: 10 },
      ],
    },
    { s: 'x', list: [], c: null, n: 2, o: { a: [1] }, p: { a: [1] }, t: true },
  ],
  ['a binding of a constant alone reads as text', { a: "${'x'}", b: '${true} ${n}', c: '${ n }' }, { n: 1 }],
  [
    '$data over an array: one element each, with $index, $root and the item',
    { body: [{ $data: '${items}', text: '${name} ${$index} ${$root.l.sep}' }] },
    { items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], l: { sep: '/' } },
  ],
  ['$data over an empty array drops the element', { body: [{ type: 'x', $data: '${items}', text: '${name}' }, { type: 'y' }] }, { items: [] }],
  ['$data over one item leaves it an object', { body: [{ $data: '${items}', text: '${name}' }] }, { items: [{ name: 'a' }] }],
  ['$data over an object', { body: [{ $data: '${who}', text: '${name}' }] }, { who: { name: 'a' } }],
  [
    '$data and $when together',
    { body: [{ $data: '${items}', $when: '${shown}', text: '${name}' }] },
    {
      items: [
        { name: 'a', shown: true },
        { name: 'b', shown: false },
      ],
    },
  ],
  [
    'nested $data: the inner items, then the outer again',
    { body: [{ $data: '${groups}', items: [{ $data: '${members}', text: '${name} of ${$index}' }], after: '${title}' }] },
    {
      groups: [
        { title: 'G1', members: [{ name: 'a' }, { name: 'b' }] },
        { title: 'G2', members: [{ name: 'c' }] },
      ],
    },
  ],
  ['an object property dropped by $when is null', { action: { $when: '${no}', type: 'x' }, other: 'y' }, { no: false }],
  ['a property bound to several items is an array', { facts: { $data: '${items}', title: '${t}' } }, { items: [{ t: 'a' }, { t: 'b' }] }],
  ['an array item bound to an array is spread', { body: ['${list}', 'z'] }, { list: ['x', 'y'] }],
  ['reserved keys never reach the card', { $schema: 'http://x', $root: 'r', $index: 1, $host: 'h', body: [] }, {}],
];

describe('compiled templates', () => {
  it.each(cases)('%s, as the engine expands it', (_name, template, data) => {
    expect(compiled(template, data)).toStrictEqual(engine(template, data));
  });

  it('keeps a null value as it is', () => {
    expect(compiled({ a: '${v}' }, { v: null })).toStrictEqual(engine({ a: '${v}' }, { v: null }));
  });

  it.each([
    ['a null value in an interpolation', { a: 'x ${v}' }, { v: null }],
    ['count() of something not counted', { a: '${count(n)}' }, { n: 1 }],
  ])('throws where the engine throws: %s', (_name, template, data) => {
    expect(() => engine(template, data)).toThrow();
    expect(() => compiled(template, data)).toThrow();
  });

  it('compiles every card of the bot', () => {
    for (const name of CARD_NAMES) expect(() => compileTemplate(templateJson(name)), name).not.toThrow();
  });

  it('reads every binding of every card as adaptive-expressions parses it', () => {
    for (const name of CARD_NAMES) {
      for (const text of strings(templateJson(name))) {
        expect(shape(parseInterpolated(text)), `${name}: ${text}`).toEqual(engineShape(ACData.Template.parseInterpolatedString(text)));
      }
    }
  });

  it.each([
    ['another function', { a: "${join(list, ',')}" }, 'the function join()'],
    ['an operator the cards do not use', { a: '${a && b}' }, 'at "&& b"'],
    ['brackets', { a: '${list[1]}' }, 'at "[1]"'],
    ['a binding that does not close', { a: 'x ${a' }, 'does not close'],
    ['a backslash beside a binding', { a: '\\n ${a}' }, 'a backquote or a backslash'],
    ['a $data that is not a binding', { body: [{ $data: [{ a: 1 }], text: '${a}' }] }, 'not one binding alone'],
    ['a $when with text around its binding', { body: [{ $when: 'x ${a}', text: 'x' }] }, 'not one binding alone'],
  ])('refuses, naming it, %s', (_name, template, message) => {
    expect(() => compileTemplate(template)).toThrow(UnsupportedExpression);
    expect(() => compileTemplate(template)).toThrow(message);
  });
});

/** Every string of a template, keys aside. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (typeof node === 'object' && node !== null) return Object.values(node).flatMap(strings);
  return [];
}

/** An expression of ours, written out as `engineShape` writes the engine's. */
function shape(parsed: string | Expression): unknown {
  if (typeof parsed === 'string') return parsed;
  switch (parsed.kind) {
    case 'path':
      return { path: parsed.path };
    case 'constant':
      return { constant: parsed.value };
    case 'not':
      return { not: shape(parsed.operand) };
    case 'equal':
    case 'notEqual':
      return { [parsed.kind]: [shape(parsed.left), shape(parsed.right)] };
    case 'count':
      return { count: shape(parsed.operand) };
    case 'concat':
      // The engine puts an empty text first in every interpolation; it adds nothing.
      return { concat: parsed.parts.map((part) => shape(part.expression)) };
  }
}

function engineShape(parsed: unknown): unknown {
  if (typeof parsed === 'string') return parsed;
  const expression = parsed as AEL.Expression;
  const children = expression.children.map(engineShape);
  switch (expression.type) {
    case AEL.ExpressionType.Accessor: {
      const names: string[] = [];
      let at: AEL.Expression | undefined = expression;
      while (at?.type === AEL.ExpressionType.Accessor) {
        names.unshift(String((at.children[0] as AEL.Constant).value));
        at = at.children[1];
      }
      return { path: names.join('.') };
    }
    case AEL.ExpressionType.Constant:
      return { constant: (expression as AEL.Constant).value as unknown };
    case AEL.ExpressionType.Not:
      return { not: children[0] };
    case AEL.ExpressionType.Equal:
      return { equal: children };
    case AEL.ExpressionType.NotEqual:
      return { notEqual: children };
    case AEL.ExpressionType.Count:
      return { count: children[0] };
    case AEL.ExpressionType.Concat:
      return { concat: children.filter((child, i) => !(i === 0 && isEqual(child, { constant: '' }))) };
    default:
      return { unknown: expression.toString() };
  }
}
