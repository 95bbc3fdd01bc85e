import { z } from 'zod';
import type { Command } from '../engine/commands.js';
import { COMMANDS, FORM_COMMANDS, formOf, isWellFormed, localeSchema, type FormCommand } from '../engine/registry.js';
import { INPUT_IDS, myActionsSchema, NO_DEPUTY, PAYLOAD_KEY, payloadSchema, type Intent } from './payload.js';

// Shared by both adapters: a card button or a modal submission becomes an engine command,
// checked against the registry's payload schema.
// Teams merges input values into `data`; Slack passes them as `inputs`. Length and
// emptiness are left to the engine, which refuses with a message the person can act on;
// here we only reject what no card of ours could have sent.

export type ParsedAction = { groupId: string; meetingId?: string; command: Command } | { error: 'invalid' };

/** Far above any form's maxLength: anything longer did not come from our cards. */
const MAX_INPUT = 20_000;
const inputText = z.string().max(MAX_INPUT);
const optionalText = inputText.optional();
const localDate = /^\d{4}-\d{2}-\d{2}$/;
const localTime = /^\d{2}:\d{2}(:\d{2})?$/;

const inputsSchema = z.object(
  Object.fromEntries(INPUT_IDS.map((key) => [key, optionalText])) as Record<(typeof INPUT_IDS)[number], typeof optionalText>,
);
type Inputs = z.infer<typeof inputsSchema>;

function collectInputs(data: Record<string, unknown>, inputs: Record<string, string>): Inputs | undefined {
  const merged: Record<string, unknown> = {};
  for (const key of INPUT_IDS) {
    const value = key in inputs ? inputs[key] : data[key];
    if (value !== undefined) merged[key] = value;
  }
  const parsed = inputsSchema.safeParse(merged);
  return parsed.success ? parsed.data : undefined;
}

const positiveInt = z.coerce.number().int().positive().max(10_000);

/** Merges the form's inputs into the intent; throws a ZodError when an input is malformed. */
function toCommand(intent: Intent, i: Inputs): Command {
  switch (intent.type) {
    case 'setup':
      return {
        type: 'setup',
        groupId: '',
        name: i.setupName ?? '',
        conversation: intent.conversation,
        locale: localeSchema.parse(i.setupLocale ?? 'fr'),
        calendar: {
          firstMeetingLocal: `${z.string().regex(localDate).parse(i.setupDate)}T${z.string().regex(localTime).parse(i.setupTime).slice(0, 5)}`,
          cadenceWeeks: positiveInt.parse(i.setupCadence),
          durationMinutes: positiveInt.parse(i.setupDuration),
          place: i.setupPlace ?? '',
          timeZone: z.string().min(1).parse(i.setupTimeZone),
        },
      };
    case 'setReminder':
      return { type: 'setReminder', kind: intent.kind, setting: { enabled: intent.enabled } };
    case 'moveMeeting': {
      const date = z.string().regex(localDate).parse(i.moveDate);
      const time = z.string().regex(localTime).parse(i.moveTime).slice(0, 5);
      return { type: 'moveMeeting', meetingId: z.string().min(1).parse(i.moveMeeting), startsAtLocal: `${date}T${time}` };
    }
    case 'setDeputy': {
      const userId = z.string().min(1).parse(i.deputyMember);
      return userId === NO_DEPUTY ? { type: 'setDeputy' } : { type: 'setDeputy', userId };
    }
    default:
      return isFieldByField(intent) ? fromForm(intent.type, i) : intent;
  }
}

const FORM_TYPES: ReadonlySet<string> = new Set(FORM_COMMANDS);

function isFieldByField(intent: Intent): intent is Extract<Intent, { type: FormCommand }> {
  return FORM_TYPES.has(intent.type);
}

/** A form the registry maps field by field: each field read from its input (the registry's `form`). */
function fromForm(type: FormCommand, inputs: Inputs): Command {
  const shape: Record<string, z.ZodType> = COMMANDS[type].payload.shape;
  const command: Record<string, unknown> = { type };
  for (const [field, input] of Object.entries(formOf(type))) {
    const value = fromInput(shape[field]!, inputs[input]);
    if (value !== undefined) command[field] = value;
  }
  // The payload's schema judges the rest (parseCardAction).
  return command as Command;
}

/**
 * An input's text as its field's schema takes it: a blank optional field is left out, a
 * toggle is on only at "true", a field that takes the text read as a number (a rating)
 * gets the number, and any other field the text as it is (empty when absent).
 */
function fromInput(schema: z.ZodType, raw: string | undefined): unknown {
  if (schema instanceof z.ZodOptional) return raw === undefined || raw.trim() === '' ? undefined : fromInput(schema.unwrap() as z.ZodType, raw);
  if (schema instanceof z.ZodBoolean) return raw === 'true';
  const number = Number(raw);
  return raw !== undefined && raw.trim() !== '' && schema.safeParse(number).success ? number : (raw ?? '');
}

/** The form's fields as a command, with the person's "send anyway" when they chose it. */
function commandOf(intent: Intent, i: Inputs): Command {
  const command = toCommand(intent, i);
  if (!('confirmed' in intent) || intent.confirmed !== true) return command;
  return { ...command, confirmedThirdPartyData: true } as Command;
}

/**
 * Reads a card action. `data` is the Action.Execute data (Teams: with inputs merged in;
 * Slack: the parsed button value or modal metadata); `inputs` are input values by id.
 */
export function parseCardAction(data: unknown, inputs: Record<string, string>): ParsedAction {
  if (typeof data !== 'object' || data === null) return { error: 'invalid' };
  const record = data as Record<string, unknown>;
  const payload = payloadSchema.safeParse(record[PAYLOAD_KEY]);
  if (!payload.success) return { error: 'invalid' };
  const collected = collectInputs(record, inputs);
  if (!collected) return { error: 'invalid' };
  try {
    const command = commandOf(payload.data.c, collected);
    if (command.type === 'setup') command.groupId = payload.data.g;
    if (!isWellFormed(command)) return { error: 'invalid' };
    const meetingId = payload.data.m;
    return meetingId === undefined ? { groupId: payload.data.g, command } : { groupId: payload.data.g, meetingId, command };
  } catch {
    return { error: 'invalid' };
  }
}

/** The group and meeting of a "my actions" button, or undefined for any other data. */
export function parseMyActions(data: unknown): { groupId: string; meetingId: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const payload = myActionsSchema.safeParse((data as Record<string, unknown>)[PAYLOAD_KEY]);
  return payload.success ? { groupId: payload.data.g, meetingId: payload.data.m } : undefined;
}
