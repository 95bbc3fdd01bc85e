import { isDeepStrictEqual } from 'node:util';
import { parseInterpolated, UnsupportedExpression, type Expression } from './template-expressions.js';

// The templating engine evaluates every `${a.b}` of a card through `adaptive-expressions`:
// a memory object per binding, the path split with a regular expression, each key found
// by lower-casing every key of the object it walks. Rendering step cards was the largest
// part of a click's cost (bench/NOTES.md). A template is compiled here once into closures
// that expand it as `Template.expand` does (the same `$data`, `$when`, `$index` and
// substitution rules, read from adaptivecards-templating 2.3.1's `internalExpand`), each
// expression (template-expressions.ts) evaluated as adaptive-expressions does. Card data
// is plain JSON (no Map). The tests expand every card they render with the engine too and
// compare (tests/support/template-check.ts).

/** What a binding sees: the data at the root, the innermost `$data`, its index in its array. */
interface Scope {
  readonly root: unknown;
  readonly data: unknown;
  readonly index: number | undefined;
}

/** An expression that failed to evaluate, with the engine's message. */
class Failure {
  constructor(readonly error: string) {}
}

type Evaluate = (scope: Scope) => unknown;
type Expand = (scope: Scope) => unknown;

/** Keys the engine never copies into a card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

/**
 * `template` compiled into a function of its `$root` data. Throws `UnsupportedExpression`
 * for a binding outside the cards' language (template-expressions.ts).
 */
export function compileTemplate(template: unknown): (root: unknown) => unknown {
  const expand = compileNode(template);
  return (root) => expand({ root, data: root, index: undefined });
}

function compileNode(node: unknown): Expand {
  if (typeof node === 'string') {
    const parsed = parseInterpolated(node);
    if (typeof parsed === 'string') return () => parsed;
    const evaluate = compileExpression(parsed, true);
    return (scope) => {
      const value = evaluate(scope);
      if (value instanceof Failure) throw new Error(value.error);
      return value;
    };
  }
  if (Array.isArray(node)) return compileArray(node.map(compileNode));
  if (typeof node === 'object' && node !== null) return compileObject(node as Record<string, unknown>);
  return () => node;
}

/** Items that expand to null are left out; an item that expands to an array is spread. */
function compileArray(items: Expand[]): Expand {
  return (scope) => {
    const out: unknown[] = [];
    for (const item of items) {
      const value = item(scope);
      if (value === null) continue;
      if (Array.isArray(value)) for (const element of value) out.push(element);
      else out.push(value);
    }
    return out;
  };
}

/**
 * An object, once per item of its `$data` (or once), each kept when its `$when` is `true`:
 * null when none is kept, the object when one is, an array of them when several are.
 */
function compileObject(node: Record<string, unknown>): Expand {
  const when = node.$when === undefined ? undefined : compileExpression(expressionOf(node.$when), false);
  const data = node.$data === undefined ? undefined : compileExpression(expressionOf(node.$data), true);
  const entries = Object.keys(node)
    .filter((key) => !RESERVED.has(key))
    .map((key) => [key, compileNode(node[key])] as const);
  const one = (scope: Scope): Record<string, unknown> | undefined => {
    if (when) {
      const kept = when(scope);
      if (kept !== true) return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, expand] of entries) {
      const value = expand(scope);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  return (scope) => {
    if (!data) return one(scope) ?? null;
    const context = data(scope);
    if (context instanceof Failure) throw new Error(context.error);
    const contexts = Array.isArray(context) ? context : [context];
    const out: Record<string, unknown>[] = [];
    // An item that is undefined keeps the data of the one before, as in the engine.
    let current = scope.data;
    for (let i = 0; i < contexts.length; i += 1) {
      if (contexts[i] !== undefined) current = contexts[i];
      const expanded = one({ root: scope.root, data: current, index: Array.isArray(context) ? i : scope.index });
      if (expanded) out.push(expanded);
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

function expressionOf(value: unknown): Expression {
  const parsed = typeof value === 'string' ? parseInterpolated(value) : undefined;
  if (parsed === undefined || typeof parsed === 'string' || parsed.kind === 'concat') {
    throw new UnsupportedExpression(JSON.stringify(value), 'a `$data` or `$when` that is not one binding alone');
  }
  return parsed;
}

/**
 * With `substitute`, an undefined path reads `${path}`, as the engine leaves a binding it
 * cannot fill. An interpolation (a string's, never a `$data`'s or `$when`'s) reads each
 * part that fails as written.
 */
function compileExpression(expression: Expression, substitute: boolean): Evaluate {
  switch (expression.kind) {
    case 'path': {
      const resolve = compilePath(expression.path);
      if (!substitute) return resolve;
      // Only undefined is substituted: a null is the value, as in the engine.
      const written = `\${${expression.path}}`;
      return (scope) => {
        const value = resolve(scope);
        return value === undefined ? written : value;
      };
    }
    case 'constant': {
      const { value } = expression;
      return () => value;
    }
    case 'concat': {
      // An interpolation, as the engine concatenates it: a part that fails reads as written.
      const parts = expression.parts.map((part) => ({ evaluate: compileExpression(part.expression, true), written: `\${${part.source.trim()}}` }));
      return (scope) => {
        let text = '';
        for (const part of parts) {
          const value = part.evaluate(scope);
          // The engine calls toString on each part's value: null or undefined throws there too.
          text += value instanceof Failure ? part.written : (value as { toString(): string }).toString();
        }
        return text;
      };
    }
    // `!a`: true for false, null, undefined or a failure; comparisons: false on a failure.
    // Both read their operands without substitution, as adaptive-expressions does.
    case 'not': {
      const operand = compileExpression(expression.operand, false);
      return (scope) => {
        const value = operand(scope);
        return value instanceof Failure || !(typeof value === 'boolean' ? value : value != null);
      };
    }
    case 'equal':
    case 'notEqual': {
      const left = compileExpression(expression.left, false);
      const right = compileExpression(expression.right, false);
      const equal = expression.kind === 'equal';
      return (scope) => {
        const a = left(scope);
        if (a instanceof Failure) return false;
        const b = right(scope);
        if (b instanceof Failure) return false;
        return commonEquals(a, b) === equal;
      };
    }
    case 'count': {
      const operand = compileExpression(expression.operand, false);
      return (scope) => {
        const value = operand(scope);
        if (typeof value === 'string' || Array.isArray(value)) return value.length;
        if (typeof value === 'object' && value !== null) return Object.keys(value).length;
        return new Failure('count() takes a string, an array or an object');
      };
    }
  }
}

/** Equality as adaptive-expressions' `==` has it: null and undefined alike, the rest by value. */
function commonEquals(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => commonEquals(item, b[i]));
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) return isDeepStrictEqual(a, b);
  if (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < Number.EPSILON) return true;
  return a === b;
}

interface Part {
  name: string;
  lower: string;
  index: number;
}

/**
 * A path as the engine's memory reads it: split on dots and brackets, quotes dropped; a path
 * not starting with `$` is read from `$data`; `$root`, `$data` and `$index` are found
 * whatever their case.
 */
function compilePath(path: string): Evaluate {
  const parts = splitPath(path.startsWith('$') ? path : `$data.${path}`);
  const [first, ...rest] = parts as [Part, ...Part[]];
  const start = (scope: Scope): unknown =>
    first.lower === '$root' ? scope.root : first.lower === '$data' ? scope.data : first.lower === '$index' ? scope.index : undefined;
  return (scope) => walk(start(scope), rest);
}

function splitPath(path: string): Part[] {
  return path
    .split(/[.[\]]+/)
    .filter((part) => part !== '')
    .map((part) => ((part.startsWith('"') && part.endsWith('"')) || (part.startsWith("'") && part.endsWith("'")) ? part.slice(1, -1) : part))
    .map((name) => ({ name, lower: name.toLowerCase(), index: parseInt(name) }));
}

function walk(from: unknown, parts: readonly Part[]): unknown {
  let value = from;
  for (const part of parts) {
    if (!Number.isNaN(part.index) && Array.isArray(value)) {
      if (part.index < 0 || part.index >= value.length) return undefined;
      value = value[part.index];
    } else {
      value = property(value, part);
    }
  }
  return value;
}

/** The engine finds a key whatever its case; the exact key, the usual case, is tried first. */
function property(instance: unknown, part: Part): unknown {
  if (!instance) return undefined;
  if (Object.prototype.propertyIsEnumerable.call(instance, part.name)) return (instance as Record<string, unknown>)[part.name];
  const key = Object.keys(instance).find((k) => k.toLowerCase() === part.lower);
  return key === undefined ? undefined : (instance as Record<string, unknown>)[key];
}
