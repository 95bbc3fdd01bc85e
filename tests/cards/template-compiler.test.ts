import * as ACData from 'adaptivecards-templating';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/cards/template-compiler.js';
import { CARD_NAMES, templateJson } from '../../src/cards/templates.js';

// The compiled templates must expand exactly as adaptivecards-templating does. Every card
// the tests render is compared with the engine's (tests/support/template-check.ts); here
// are the rules the cards rarely reach, each against the engine itself.

function engine(template: unknown, data: unknown): unknown {
  return new ACData.Template(template).expand({ $root: data });
}

function compiled(template: unknown, data: unknown): unknown {
  const expand = compileTemplate(template);
  if (!expand) throw new Error('not compiled');
  return expand(data);
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
  ['an index into an array', { a: '${list[1]}', b: 'x ${list[5]}' }, { list: ['x', 'y'] }],
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
      ],
    },
    { s: 'x', list: [], c: null },
  ],
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
  ['an unknown function in an interpolation reads as written', { a: 'x ${nope(1)} y' }, {}],
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
    ['an index out of range', { a: '${list[5]}' }, { list: ['x'] }],
  ])('throws where the engine throws: %s', (_name, template, data) => {
    expect(() => engine(template, data)).toThrow();
    expect(() => compiled(template, data)).toThrow();
  });

  it('compiles every card of the bot', () => {
    const uncompiled = CARD_NAMES.filter((name) => compileTemplate(templateJson(name)) === undefined);
    expect(uncompiled).toEqual([]);
  });

  it('leaves to the engine a $data or $when that is not an expression', () => {
    expect(compileTemplate({ body: [{ $data: [{ a: 1 }], text: '${a}' }] })).toBeUndefined();
    expect(compileTemplate({ body: [{ $when: 'always', text: 'x' }] })).toBeUndefined();
  });
});
