import { z } from 'zod';

// Every command a person (or the service) can ask of a group: its payload, who may issue
// it, whether it needs the running meeting, and which view answers it. The engine checks
// against this table, the service answers from it, the card layer validates buttons and
// forms with it; nothing else lists commands.

const id = z.string().min(1).max(200);
/** Lengths and emptiness are the engine's to refuse, with a message the person can act on. */
const text = z.string();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
const stepIndexSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]);
const rating = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
export const topicKindSchema = z.enum(['probleme', 'preoccupation', 'projet']);
export const suggestionKindSchema = z.enum(['idee', 'experience', 'ressenti', 'ressource']);
export const attendanceSchema = z.enum(['present', 'excused', 'absent']);
export const reminderKindSchema = z.enum(['prepareTopic', 'channelWeek', 'followUp', 'topicNudge', 'channelEve']);
export const localeSchema = z.enum(['fr', 'en']);
// The document's enumerations (types.ts) are these schemas' types.
export type Locale = z.infer<typeof localeSchema>;
export type TopicKind = z.infer<typeof topicKindSchema>;
export type SuggestionKind = z.infer<typeof suggestionKindSchema>;
export type AttendanceStatus = z.infer<typeof attendanceSchema>;
export type ReminderKind = z.infer<typeof reminderKindSchema>;
export const conversationSchema = z.object({ platform: z.enum(['teams', 'slack']), tenantId: id, channelId: id });
const calendar = z.object({
  firstMeetingLocal: localDateTime,
  cadenceWeeks: z.number().int().positive(),
  durationMinutes: z.number().int().positive(),
  place: text,
  timeZone: z.string().min(1),
});
const reminderSetting = z.object({ enabled: z.boolean(), daysBefore: z.number().int().min(0), time: z.string().regex(/^\d{2}:\d{2}$/) });
const person = z.object({ userId: id, displayName: z.string() });
export type NewMember = z.infer<typeof person>;
const none = z.object({});
/**
 * On a command carrying free text: the person saw what the third-party data guard found in
 * it and chose to send it anyway. A refused kind (a NIR) is refused all the same.
 */
const writtenSchema = z.object({ confirmedThirdPartyData: z.literal(true).optional() });
const confirmed = writtenSchema.shape;
export type Written = z.infer<typeof writtenSchema>;
const absentClientChoice = z.enum(['swap', 'postpone']);
export type AbsentClientChoice = z.infer<typeof absentClientChoice>;

/**
 * `who`: anyone; the animateur; `runner`: the animateur, or the deputy in charge of the
 * meeting concerned (the command's rule names the meeting); `step`: the roles the step
 * table (steps.ts) names, at the steps it names; `client`: the upcoming client, before the
 * exposé; `system`: the service's own jobs. `running`: refused without a running meeting,
 * and a card of another meeting may not carry it. `answer`: the view a card answers with
 * after the command. Then, where a command has them: `written`, the free-text fields the
 * third-party data guard reads; `appends`, the field holding the text of the item the
 * command adds to a list each time (a second identical one within seconds is a double
 * click); `form`, the card input each field comes from, for a form that fills its fields
 * one input each (the guard's card shows a held text back in the same inputs).
 */
export type Who = 'anyone' | 'animateur' | 'runner' | 'step' | 'client' | 'system';
export type Answer = 'status' | 'plan' | 'topicForm';
export type WrittenField = 'title' | 'context' | 'question' | 'text' | 'comment';

interface Columns<P extends z.ZodObject> {
  written?: readonly WrittenField[];
  appends?: WrittenField;
  form?: { readonly [F in Exclude<keyof z.infer<P>, 'confirmedThirdPartyData'>]?: string };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a command without a form maps no field
type FormOf<C> = C extends { form: infer F } ? F : {};

function row<P extends z.ZodObject, const C extends Columns<P> = Columns<P>>(payload: P, who: Who, running: boolean, answer: Answer, columns?: C) {
  const { written = [], appends, form = {} } = columns ?? {};
  return { payload, who, running, answer, written, appends, form: form as FormOf<C> };
}

// prettier-ignore
export const COMMANDS = {
  /** `retentionDays` comes from the deployment's configuration (RETENTION_DAYS), never from a card. */
  setup:            row(z.object({ groupId: z.string(), name: text, conversation: conversationSchema, locale: localeSchema, calendar, retentionDays: z.number().int().positive().optional() }), 'anyone', false, 'plan'),
  /** Joining is accepting the ethics code: only the code's "I accept" button sends it. */
  acceptEthics:     row(none,                                                                  'anyone',    false, 'status'),
  addMembers:       row(z.object({ members: z.array(person) }),                                'animateur', false, 'plan'),
  removeMember:     row(z.object({ userId: id }),                                              'animateur', false, 'plan'),
  updateCalendar:   row(z.object({ calendar: calendar.partial() }),                            'animateur', false, 'plan'),
  swapClients:      row(z.object({ meetingA: id, meetingB: id }),                              'animateur', false, 'plan',   { form: { meetingA: 'swapA', meetingB: 'swapB' } }),
  moveMeeting:      row(z.object({ meetingId: id, startsAtLocal: localDateTime }),             'animateur', false, 'plan'),
  cancelMeeting:    row(z.object({ meetingId: id }),                                           'animateur', false, 'plan'),
  setReminder:      row(z.object({ kind: reminderKindSchema, setting: reminderSetting.partial() }), 'animateur', false, 'plan'),
  setStepMinutes:   row(z.object({ step: stepIndexSchema, minutes: z.number().int() }),        'animateur', false, 'plan'),
  shareAbsentNames: row(z.object({ shared: z.boolean() }),                                     'animateur', false, 'plan'),
  /** Names the deputy; without `userId`, the group has none. */
  setDeputy:        row(z.object({ userId: id.optional() }),                                   'animateur', false, 'plan'),
  /** The animateur offers the role for good; it changes hands once the member accepts. */
  proposeHandover:  row(z.object({ userId: id }),                                              'animateur', false, 'plan'),
  answerHandover:   row(z.object({ accepted: z.boolean() }),                                   'anyone',    false, 'status'),
  setAttendance:    row(z.object({ meetingId: id, userId: id, status: attendanceSchema }),     'runner',    false, 'plan'),
  /** The client is away: swap with the next client whose topic is ready, or postpone to the year's end. */
  absentClient:     row(z.object({ meetingId: id, choice: absentClientChoice }),               'animateur', false, 'status'),
  saveTopic:        row(z.object({ kind: topicKindSchema, title: text, context: text, question: text, ...confirmed }), 'client', false, 'topicForm',
                      { written: ['title', 'context', 'question'], form: { kind: 'topicKind', title: 'topicTitle', context: 'topicContext', question: 'topicQuestion' } }),
  start:            row(none,                                                                  'runner',    false, 'status'),
  /** `from` is the step the animateur saw; a move from any other step is refused as stale. */
  next:             row(z.object({ from: stepIndexSchema.optional() }),                        'runner',    true,  'status'),
  back:             row(z.object({ from: stepIndexSchema.optional() }),                        'runner',    true,  'status'),
  end:              row(none,                                                                  'runner',    true,  'status'),
  giveFollowUp:     row(z.object({ text, ...confirmed }),                                      'step',      true,  'status', { written: ['text'],                     form: { text: 'followUpText' } }),
  askQuestion:      row(z.object({ text, ...confirmed }),                                      'step',      true,  'status', { written: ['text'], appends: 'text', form: { text: 'questionText' } }),
  writeContract:    row(z.object({ text, ...confirmed }),                                      'step',      true,  'status', { written: ['text'], appends: 'text', form: { text: 'contractText' } }),
  answerContract:   row(z.object({ version: z.number().int().positive(), stance: z.enum(['agree', 'discuss']) }), 'step', true, 'status'),
  recordAgreement:  row(z.object({ consultantId: id, version: z.number().int().positive() }),  'step',      true,  'status'),
  suggest:          row(z.object({ kind: suggestionKindSchema, text, ...confirmed }),          'step',      true,  'status', { written: ['text'], appends: 'text', form: { kind: 'suggestionKind', text: 'suggestionText' } }),
  keepSuggestion:   row(z.object({ suggestionId: id, kept: z.boolean() }),                     'step',      true,  'status'),
  addAction:        row(z.object({ text, due: localDate.optional(), ...confirmed }),           'step',      true,  'status', { written: ['text'], appends: 'text', form: { text: 'actionText', due: 'actionDue' } }),
  removeAction:     row(z.object({ actionId: id }),                                            'step',      true,  'status'),
  addLearning:      row(z.object({ text, shared: z.boolean(), ...confirmed }),                 'step',      true,  'status', { written: ['text'], appends: 'text', form: { text: 'learningText', shared: 'learningShared' } }),
  evaluate:         row(z.object({ rating, comment: text.optional(), ...confirmed }),          'step',      true,  'status', { written: ['comment'],                  form: { rating: 'evaluationRating', comment: 'evaluationComment' } }),
  /** From the step timer: the current step's time is up. */
  timeUp:           row(z.object({ meetingId: id, step: stepIndexSchema }),                    'system',    true,  'status'),
  /** GDPR: erase what the actor wrote in this group. */
  forget:           row(none,                                                                  'anyone',    false, 'status'),
  /** Retention: purge all content once the period after the last meeting has passed. */
  purge:            row(none,                                                                  'system',    false, 'status'),
};

export type CommandType = keyof typeof COMMANDS;

/** The payload of each command, as its schema says (zod reads an empty object as an index signature). */
type Inferred<K extends CommandType> = z.infer<(typeof COMMANDS)[K]['payload']>;
export type Payload<K extends CommandType> = string extends keyof Inferred<K> ? object : Inferred<K>;

/** Everything a person (or the scheduler) can ask of a group. */
export type Command = { [K in CommandType]: { type: K } & Payload<K> }[CommandType];

export type CommandSpec = (typeof COMMANDS)[CommandType];

/** The commands a card form fills field by field (the registry's `form`). */
export type FormCommand = { [K in CommandType]: keyof (typeof COMMANDS)[K]['form'] extends never ? never : K }[CommandType];

/** The inputs of those forms, every one the registry names. */
export type FormInput = { [K in FormCommand]: (typeof COMMANDS)[K]['form'][keyof (typeof COMMANDS)[K]['form']] }[FormCommand];

export const FORM_COMMANDS = (Object.keys(COMMANDS) as CommandType[]).filter((type) => Object.keys(COMMANDS[type].form).length > 0) as [
  FormCommand,
  ...FormCommand[],
];

/** A command's form, input by field; empty for a command no form fills field by field. */
export function formOf(type: CommandType): Readonly<Record<string, FormInput>> {
  return COMMANDS[type].form;
}

/** Whether a command is well-formed by its payload schema (the edge checks every command it builds). */
export function isWellFormed(command: { type: string }): command is Command {
  const spec = (COMMANDS as Record<string, CommandSpec | undefined>)[command.type];
  return spec !== undefined && spec.payload.safeParse(command).success;
}
