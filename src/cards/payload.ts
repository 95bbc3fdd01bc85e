import { z } from 'zod';
import { COMMANDS, conversationSchema, FORM_COMMANDS, formOf, reminderKindSchema, type CommandType, type FormInput } from '../engine/registry.js';

// The data a card button carries back: small, versioned, and never user-written text
// (that arrives through the inputs). Teams merges inputs into `data`; Slack sends them
// apart, so the payload sits under one key that no input id uses.

export const PAYLOAD_KEY = 'codev';
export const PAYLOAD_VERSION = 1;

/**
 * Stable ids of every input a card or modal holds; adapters map Slack state by them. The
 * forms the registry maps field by field name their own (`form`); these are the inputs of
 * the forms that build their command otherwise (a date and a time make one field).
 */
const COMPOSED_INPUTS = [
  'setupName',
  'setupDate',
  'setupTime',
  'setupCadence',
  'setupDuration',
  'setupPlace',
  'setupTimeZone',
  'setupLocale',
  'moveMeeting',
  'moveDate',
  'moveTime',
  'deputyMember',
] as const;

export const INPUT_IDS: readonly InputId[] = [...COMPOSED_INPUTS, ...FORM_COMMANDS.flatMap((type) => Object.values(formOf(type)))];

export type InputId = (typeof COMPOSED_INPUTS)[number] | FormInput;

/** The plan's deputy list: the choice that names no one (Slack options need a value). */
export const NO_DEPUTY = 'none';

const id = z.string().min(1).max(200);

/** A button that carries its command whole: the registry's payload. */
function button<K extends CommandType, S extends z.ZodRawShape>(type: K, payload: z.ZodObject<S>) {
  return z.object({ ...payload.shape, type: z.literal(type) });
}

const confirmed = z.literal(true).optional();

/**
 * A button that opens a form: the command's payload arrives in the form's inputs, and
 * `confirmed` on its "send anyway", once the person saw what the third-party data guard found.
 */
function form<K extends CommandType>(type: K) {
  return z.object({ type: z.literal(type), confirmed });
}

/** What the button asks for, before inputs are merged in. */
export const intentSchema = z.discriminatedUnion('type', [
  // The set-up form's group is created where it is filled in.
  z.object({ type: z.literal('setup'), conversation: conversationSchema }),
  // A plan's switch turns one reminder on or off.
  z.object({ type: z.literal('setReminder'), kind: reminderKindSchema, enabled: z.boolean() }),
  button('acceptEthics', COMMANDS.acceptEthics.payload),
  button('start', COMMANDS.start.payload),
  button('next', COMMANDS.next.payload),
  button('back', COMMANDS.back.payload),
  button('end', COMMANDS.end.payload),
  button('setAttendance', COMMANDS.setAttendance.payload),
  button('absentClient', COMMANDS.absentClient.payload),
  button('answerHandover', COMMANDS.answerHandover.payload),
  button('answerContract', COMMANDS.answerContract.payload),
  button('recordAgreement', COMMANDS.recordAgreement.payload),
  button('keepSuggestion', COMMANDS.keepSuggestion.payload),
  button('removeAction', COMMANDS.removeAction.payload),
  button('forget', COMMANDS.forget.payload),
  form('moveMeeting'),
  form('setDeputy'),
  // The forms the registry maps field by field.
  z.object({ type: z.enum(FORM_COMMANDS), confirmed }),
]);

export type Intent = z.infer<typeof intentSchema>;

export const payloadSchema = z.object({
  v: z.literal(PAYLOAD_VERSION),
  /** Group id. */
  g: id,
  /** Meeting id, when the button belongs to one meeting's card. */
  m: id.optional(),
  /** The intent. */
  c: intentSchema,
});

export type Payload = z.infer<typeof payloadSchema>;

/**
 * The "my actions" button of a channel card: it asks for the person's own card of that
 * meeting (their role's buttons), shown to them alone, and changes nothing.
 */
export const MY_ACTIONS = 'myActions';

export const myActionsSchema = z.object({ v: z.literal(PAYLOAD_VERSION), g: id, m: id, q: z.literal(MY_ACTIONS) });

export type MyActionsPayload = z.infer<typeof myActionsSchema>;

export function myActionsData(groupId: string, meetingId: string): { [PAYLOAD_KEY]: MyActionsPayload } {
  return { [PAYLOAD_KEY]: { v: PAYLOAD_VERSION, g: groupId, m: meetingId, q: MY_ACTIONS } };
}

export interface ActionData {
  [PAYLOAD_KEY]: Payload;
}

/** Builds the `data` of an `Action.Execute`; the verb is the intent's type. */
export function actionData(groupId: string, intent: Intent, meetingId?: string): ActionData {
  const payload: Payload = { v: PAYLOAD_VERSION, g: groupId, c: intent };
  if (meetingId !== undefined) payload.m = meetingId;
  return { [PAYLOAD_KEY]: payload };
}
