import * as AEL from 'adaptive-expressions';
import { GlobalSettings, Template } from 'adaptivecards-templating';

// The templating engine evaluates every `${a.b}` of a card through `adaptive-expressions`:
// a memory object per binding, the path split with a regular expression, each key found
// by lower-casing every key of the object it walks. Rendering step cards was the largest
// part of a click's cost (bench/NOTES.md). A template is compiled here once into closures
// that expand it as `Template.expand` does (the same `$data`, `$when`, `$index` and
// substitution rules, read from adaptivecards-templating 2.3.1's `internalExpand`), with
// paths, interpolations, `!` and `==`/`!=` evaluated directly, as adaptive-expressions
// does; any other expression (`count(a)`) is left to adaptive-expressions, over a memory
// that reads paths the same way. Card data is plain JSON (no Map). The tests expand every
// card they render with the engine too and compare (tests/support/template-check.ts).

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

/** A template that uses something this compiler leaves to the engine. */
class Unsupported extends Error {}

/** Keys the engine never copies into a card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

/**
 * `template` compiled into a function of its `$root` data, or undefined when the template
 * uses a construct left to the engine (a non-expression `$data` or `$when`).
 */
export function compileTemplate(template: unknown): ((root: unknown) => unknown) | undefined {
  let expand: Expand;
  try {
    expand = compileNode(template);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return (root) => expand({ root, data: root, index: undefined });
}

function compileNode(node: unknown): Expand {
  if (typeof node === 'string') {
    const parsed = Template.parseInterpolatedString(node);
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

function expressionOf(value: unknown): AEL.Expression {
  const parsed = typeof value === 'string' ? Template.parseInterpolatedString(value) : value;
  if (!(parsed instanceof AEL.Expression)) throw new Unsupported();
  return parsed;
}

/**
 * With `substitute`, an undefined path reads `${path}` (as the engine leaves a binding it
 * cannot fill) and an interpolation substitutes each part that fails on its own.
 */
function compileExpression(expression: AEL.Expression, substitute: boolean, whole = true): Evaluate {
  const path = constantPath(expression);
  if (path !== undefined) {
    const resolve = compilePath(path);
    if (!substitute) return resolve;
    // Only undefined is substituted: a null is the value, as in the engine.
    return (scope) => {
      const value = resolve(scope);
      return value === undefined ? substitution(path) : value;
    };
  }
  if (expression.type === AEL.ExpressionType.Constant) {
    const value = (expression as AEL.Constant).value as unknown;
    return () => value;
  }
  // An interpolation, as the engine concatenates it: a part that fails reads as written.
  if (expression.type === AEL.ExpressionType.Concat && substitute && whole) {
    const parts = expression.children.map((child) => ({ evaluate: compileExpression(child, true, false), text: child.toString() }));
    return (scope) => {
      let text = '';
      for (const part of parts) {
        let value: unknown;
        try {
          value = part.evaluate(scope);
        } catch {
          value = new Failure('');
        }
        // The engine calls toString on each part's value: null or undefined throws there too.
        text += value instanceof Failure ? `\${${part.text}}` : (value as { toString(): string }).toString();
      }
      return text;
    };
  }
  // `!a`: true for false, null, undefined or a failure; comparisons: false on a failure.
  // Both read their operands without substitution, as adaptive-expressions does.
  if (expression.type === AEL.ExpressionType.Not) {
    const operand = compileExpression(expression.children[0] as AEL.Expression, false, false);
    return (scope) => {
      const value = operand(scope);
      return value instanceof Failure || !(typeof value === 'boolean' ? value : value != null);
    };
  }
  if (expression.type === AEL.ExpressionType.Equal || expression.type === AEL.ExpressionType.NotEqual) {
    const [left, right] = expression.children.map((child) => compileExpression(child, false, false)) as [Evaluate, Evaluate];
    const equal = expression.type === AEL.ExpressionType.Equal;
    return (scope) => {
      const a = left(scope);
      if (a instanceof Failure) return false;
      const b = right(scope);
      if (b instanceof Failure) return false;
      return AEL.FunctionUtils.commonEquals(a, b) === equal;
    };
  }
  const options = substitute ? substitutingOptions : undefined;
  return (scope) => {
    const result: { value: unknown; error: string } = expression.tryEvaluate(new ScopeMemory(scope), options);
    return result.error ? new Failure(result.error) : result.value;
  };
}

/** `a.b.c` for an expression that is only property accesses, else undefined. */
function constantPath(expression: AEL.Expression): string | undefined {
  const names: string[] = [];
  let left: AEL.Expression | undefined = expression;
  while (left?.type === AEL.ExpressionType.Accessor) {
    const name = left.children[0];
    if (!(name instanceof AEL.Constant) || typeof name.value !== 'string') return undefined;
    names.unshift(name.value);
    left = left.children[1];
  }
  return left === undefined && names.length > 0 ? names.join('.') : undefined;
}

const substitutingOptions = new AEL.Options();
substitutingOptions.nullSubstitution = substitution;

function substitution(path: string): string {
  return GlobalSettings.getUndefinedFieldValueSubstitutionString?.(path) || `\${${path}}`;
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

/** A scope as `adaptive-expressions` reads memory, for the expressions left to it. */
class ScopeMemory implements AEL.MemoryInterface {
  constructor(readonly scope: Scope) {}
  getValue(path: string): unknown {
    return compilePath(path)(this.scope);
  }
  setValue(): void {
    // Templates only read.
  }
  version(): string {
    return '';
  }
}
