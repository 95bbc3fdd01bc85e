import { z } from 'zod';

// The data a card button carries back: small, versioned, and never user-written text
// (that arrives through the inputs). Teams merges inputs into `data`; Slack sends them
// apart, so the payload sits under one key that no input id uses.

export const PAYLOAD_KEY = 'codev';
export const PAYLOAD_VERSION = 1;

/** Stable ids of every input a card or modal holds; adapters map Slack state by them. */
export const INPUT_IDS = [
  'setupName',
  'setupDate',
  'setupTime',
  'setupCadence',
  'setupDuration',
  'setupPlace',
  'setupTimeZone',
  'setupLocale',
  'topicKind',
  'topicTitle',
  'topicContext',
  'topicQuestion',
  'followUpText',
  'questionText',
  'contractText',
  'suggestionKind',
  'suggestionText',
  'actionText',
  'actionDue',
  'learningText',
  'learningShared',
  'evaluationRating',
  'evaluationComment',
  'swapA',
  'swapB',
  'moveMeeting',
  'moveDate',
  'moveTime',
  'deputyMember',
] as const;

export type InputId = (typeof INPUT_IDS)[number];

/** The plan's deputy list: the choice that names no one (Slack options need a value). */
export const NO_DEPUTY = 'none';

const id = z.string().min(1).max(200);
const step = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]);

/** On a form's "send anyway": the person saw what the third-party data guard found. */
const confirmed = z.literal(true).optional();

/** What the button asks for, before inputs are merged in. */
export const intentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setup'),
    conversation: z.object({ platform: z.enum(['teams', 'slack']), tenantId: id, channelId: id }),
  }),
  z.object({ type: z.literal('acceptEthics') }),
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('next'), from: step.optional() }),
  z.object({ type: z.literal('back'), from: step.optional() }),
  z.object({ type: z.literal('end') }),
  z.object({ type: z.literal('setAttendance'), meetingId: id, userId: id, status: z.enum(['present', 'excused', 'absent']) }),
  z.object({ type: z.literal('absentClient'), meetingId: id, choice: z.enum(['swap', 'postpone']) }),
  z.object({
    type: z.literal('setReminder'),
    kind: z.enum(['prepareTopic', 'channelWeek', 'followUp', 'topicNudge', 'channelEve']),
    enabled: z.boolean(),
  }),
  z.object({ type: z.literal('swapClients') }),
  z.object({ type: z.literal('setDeputy') }),
  z.object({ type: z.literal('answerHandover'), accepted: z.boolean() }),
  z.object({ type: z.literal('moveMeeting') }),
  z.object({ type: z.literal('saveTopic'), confirmed }),
  z.object({ type: z.literal('giveFollowUp'), confirmed }),
  z.object({ type: z.literal('askQuestion'), confirmed }),
  z.object({ type: z.literal('writeContract'), confirmed }),
  z.object({ type: z.literal('answerContract'), version: z.number().int().positive(), stance: z.enum(['agree', 'discuss']) }),
  z.object({ type: z.literal('recordAgreement'), consultantId: id, version: z.number().int().positive() }),
  z.object({ type: z.literal('suggest'), confirmed }),
  z.object({ type: z.literal('keepSuggestion'), suggestionId: id, kept: z.boolean() }),
  z.object({ type: z.literal('addAction'), confirmed }),
  z.object({ type: z.literal('removeAction'), actionId: id }),
  z.object({ type: z.literal('addLearning'), confirmed }),
  z.object({ type: z.literal('evaluate'), confirmed }),
  z.object({ type: z.literal('forget') }),
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
