import { isDeepStrictEqual } from 'node:util';
import * as ACData from 'adaptivecards-templating';
import { afterEach, expect } from 'vitest';
import { checkExpansions, templateJson, type CardName } from '../../src/cards/templates.js';

// Set up for every test file (vitest.config.ts): each card the service expands with its
// compiled templates is expanded again by adaptivecards-templating itself, and a test in
// which the two differ fails, naming the card. The whole suite is then a comparison of the
// two over every card and state the tests reach.

const engines = new Map<CardName, ACData.Template>();
const differing: string[] = [];

checkExpansions((name, root, card) => {
  let engine = engines.get(name);
  if (!engine) engines.set(name, (engine = new ACData.Template(templateJson(name))));
  let expected: unknown;
  try {
    expected = engine.expand({ $root: root });
  } catch {
    differing.push(`${name}: the engine throws, the compiled template does not`);
    return;
  }
  if (!isDeepStrictEqual(card, expected)) differing.push(`${name}: not the engine's card`);
});

afterEach(() => {
  const found = differing.splice(0);
  expect(found, 'compiled templates against adaptivecards-templating').toEqual([]);
});
