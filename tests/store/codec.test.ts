import { describe, expect, it } from 'vitest';
import { encodeJson, frozenAsDecoded } from '../../src/store/codec.js';

describe('frozenAsDecoded', () => {
  it('freezes plain JSON data to the last leaf and says it reads as its JSON decodes', () => {
    const value = { name: 'Groupe', members: [{ userId: 'u1', order: 1 }], deputy: null, on: true };
    expect(frozenAsDecoded(value)).toBe(true);
    expect(Object.isFrozen(value) && Object.isFrozen(value.members) && Object.isFrozen(value.members[0])).toBe(true);
    expect(JSON.parse(encodeJson(value))).toStrictEqual(value);
  });

  it.each([
    ['an undefined field', { name: 'Groupe', deputy: undefined }],
    ['a NUL in a string', { name: 'Gro\0upe' }],
    ['a number JSON cannot hold', { rating: Number.NaN }],
    ['a hole in a list', { members: Object.assign(new Array<number>(3), { 0: 1, 2: 3 }) }],
    ['a date object', { at: new Date(0) }],
    ['an object of a class', { at: new Map() }],
  ])('says %s does not read as its JSON decodes', (_what, value) => {
    expect(frozenAsDecoded(value)).toBe(false);
    expect(JSON.parse(encodeJson(value))).not.toStrictEqual(value);
  });
});
