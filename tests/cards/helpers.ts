import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

const SCHEMA_PATH = path.join(import.meta.dirname, '..', 'schemas', 'adaptive-card-1.5.schema.json');

let validator: ValidateFunction | undefined;

/** The official Adaptive Card 1.5 schema (draft-06, but naming its root `id` the draft-04 way). */
export function cardValidator(): ValidateFunction {
  if (!validator) {
    const { id, ...schema } = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    ajv.addMetaSchema(draft6);
    addFormats.default(ajv);
    validator = ajv.compile({ ...schema, $id: String(id) });
  }
  return validator;
}

interface AdaptiveCardsLib {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
}

// The UMD build parses without a DOM; the ESM `lib/` build has extension-less imports Node cannot load.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsLib;

/** Warnings and errors the Adaptive Cards library reports while parsing a card. */
export function parseEvents(card: unknown): string[] {
  const context = new AC.SerializationContext();
  new AC.AdaptiveCard().parse(card, context);
  return Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
}

/** Every string anywhere in a JSON value. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every object with a `type` anywhere in a JSON value. */
export function nodes(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (value && typeof value === 'object') {
    const self = typeof (value as { type?: unknown }).type === 'string' ? [value as Record<string, unknown>] : [];
    return [...self, ...Object.values(value).flatMap(nodes)];
  }
  return [];
}

export const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
